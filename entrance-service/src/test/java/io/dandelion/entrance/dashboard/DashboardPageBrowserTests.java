package io.dandelion.entrance.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser, headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), opened on a running entrance with four boxes heartbeating
 * from four cities: the page asks for the admin token, and then shows every box in the
 * table and as a point on the map, the land outline and the plots, all from the entrance
 * itself. What it showed is saved to {@code target/dashboard-screenshot.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.security.admin-token=" + DashboardPageBrowserTests.ADMIN_TOKEN,
				"entrance.dashboard.sample-period=1s" })
@WithTestRedis
class DashboardPageBrowserTests {

	static final String ADMIN_TOKEN = "dashboard-browser-token";

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");

	/**
	 * Box IPs the test GeoIP database places in Tokyo, Frankfurt, New York, Sao Paulo.
	 */
	private static final List<String> IPS = List.of("127.0.2.7", "127.0.3.7", "127.0.4.7", "127.0.5.7");

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@TempDir
	Path browserProfile;

	@LocalServerPort
	private int port;

	@Autowired
	private MessageCodec codec;

	@Autowired
	private RedisKeys keys;

	@Test
	void shouldShowEveryHeartbeatingBoxInTheTableAndOnTheMap() throws Exception {
		List<String> ids = IPS.stream().map((ip) -> NodeId.random(Role.BOX).value()).toList();
		EntranceTestClient client = new EntranceTestClient(this.port, null);
		TestCredentials credentials = new TestCredentials(this.keys);
		// A heartbeat a second from each box (the most the entrance takes is one a
		// second),
		// each serving a little more each time, for at most a minute: the test is over
		// well
		// before
		AtomicBoolean stopped = new AtomicBoolean();
		CompletableFuture<Void> heartbeats = Flux
			.interval(Duration.ZERO, Duration.ofSeconds(1), Schedulers.boundedElastic())
			.take(60)
			.takeWhile((beat) -> !stopped.get())
			.doOnNext((beat) -> {
				for (int i = 0; i < ids.size(); i++) {
					DashboardBoxes.heartbeat(client, credentials, this.codec, ids.get(i), IPS.get(i),
							(i + 1) * 50_000L + beat * 1000);
				}
			})
			.then()
			.toFuture();
		ChromeDriver browser = browser();
		try {
			// Without the token the page asks for it (network.LocalNetworkScenario hands
			// it
			// over in the address instead)
			browser.get("http://127.0.0.1:" + this.port + DashboardController.PAGE_PATH);
			await("the page to ask for the token").atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> shown(browser).get("connection"), "token"::equals);
			browser.findElement(By.id("token-input")).sendKeys(ADMIN_TOKEN);
			browser.findElement(By.cssSelector("#token-form button")).click();
			await("every box in the table and on the map, with the land and a few samples")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> shown(browser), (shown) -> shown.get("rows").equals(4L) && shown.get("points").equals(4L)
						&& Boolean.TRUE.equals(shown.get("landDrawn")) && ((Long) shown.get("samples")) >= 3);
			Map<String, Object> shown = shown(browser);
			assertThat(shown.get("connection")).isEqualTo("live");
			assertThat(script(browser, "return document.getElementById('token-form').hidden")).isEqualTo(true);
			assertThat(script(browser,
					"return Array.from(document.querySelectorAll('#boxes tbody tr'))"
							+ ".map((row) => row.dataset.boxId)"))
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.containsExactlyInAnyOrderElementsOf(ids);
			assertThat(script(browser,
					"return Array.from(document.querySelectorAll('#map-boxes circle'))"
							+ ".map((point) => point.dataset.boxId)"))
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.containsExactlyInAnyOrderElementsOf(ids);
			assertThat(script(browser, "return document.querySelectorAll('.plot canvas').length")).isEqualTo(3L);
			assertThat(script(browser, "return document.querySelector('#boxes tbody').textContent")).asString()
				.contains("Tokyo, JP", "Frankfurt, DE", "20.0 Mbit/s", "72.5 of 100 GiB");
			// Nothing came from anywhere but the entrance
			assertThat(script(browser, "return performance.getEntriesByType('resource').map((entry) => entry.name)"))
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.isNotEmpty()
				.allSatisfy((url) -> assertThat(url).asString().startsWith("http://127.0.0.1:" + this.port + "/"));
			saveScreenshot(browser, SCREENSHOT);
		}
		finally {
			browser.quit();
			stopped.set(true);
		}
		// Ends at the next tick; fails when a heartbeat was refused
		heartbeats.get(15, TimeUnit.SECONDS);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> shown(ChromeDriver browser) {
		return (Map<String, Object>) script(browser,
				"var d = window.dandelionDashboard || {}; return {rows: d.rows || 0, points: d.points || 0, "
						+ "landDrawn: !!d.landDrawn, connection: d.connection || '', "
						+ "samples: d.series ? d.series.times.length : 0};");
	}

	private static Object script(ChromeDriver browser, String script) {
		return ((JavascriptExecutor) browser).executeScript(script);
	}

	private ChromeDriver browser() {
		assertThat(CHROMIUM).as("Chromium (Debian: apt-get install chromium chromium-driver)").isExecutable();
		assertThat(CHROMEDRIVER).as("chromedriver (Debian: apt-get install chromium-driver)").isExecutable();
		// Both paths given: Selenium Manager has nothing to look up or download.
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--no-proxy-server", "--window-size=1400,1250", "--user-data-dir=" + this.browserProfile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
		return browser;
	}

	private static void saveScreenshot(ChromeDriver browser, Path file) throws IOException {
		File shot = browser.getScreenshotAs(OutputType.FILE);
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
	}

}
