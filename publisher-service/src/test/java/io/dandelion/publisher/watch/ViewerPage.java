package io.dandelion.publisher.watch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The viewer page {@code /watch/{stream}} open in headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}), with what a test reads off it: the
 * video's playback and the page's own per-segment figures, {@code window.dandelionStats}.
 * Shared by the publisher's page test and the end-to-end tests of the whole network
 * (module network-tests, through this module's test-jar).
 */
public final class ViewerPage implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final ChromeDriver browser;

	private ViewerPage(ChromeDriver browser) {
		this.browser = browser;
	}

	/**
	 * Starts a browser and opens a page in it.
	 * @param url the page
	 * @param userDataDirectory an empty directory for the browser's profile
	 * @return the open page; close it to stop the browser
	 */
	public static ViewerPage open(String url, Path userDataDirectory) {
		return open(url, userDataDirectory, null);
	}

	/**
	 * Starts a browser that trusts a self-signed certificate, and opens a page in it.
	 * @param url the page
	 * @param userDataDirectory an empty directory for the browser's profile
	 * @param trustedCertificate a PEM certificate the browser accepts wherever it is
	 * served (e.g. the one of {@code ./dandelion up --tls}), or {@code null}
	 * @return the open page; close it to stop the browser
	 */
	public static ViewerPage open(String url, Path userDataDirectory, Path trustedCertificate) {
		assertThat(CHROMIUM).as("Chromium (Debian: apt-get install chromium chromium-driver)").isExecutable();
		assertThat(CHROMEDRIVER).as("chromedriver (Debian: apt-get install chromium-driver)").isExecutable();
		// Both paths given: Selenium Manager has nothing to look up or download.
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--no-proxy-server", "--autoplay-policy=no-user-gesture-required",
				"--window-size=1280,720", "--user-data-dir=" + userDataDirectory);
		if (trustedCertificate != null) {
			// Chromium accepts a certificate by its public key's SHA-256 (with a profile
			// directory of its own); every other certificate is still checked
			options.addArguments("--ignore-certificate-errors-spki-list=" + publicKeyHash(trustedCertificate));
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		ViewerPage page = new ViewerPage(browser);
		try {
			browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
			browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
			browser.get(url);
			return page;
		}
		catch (RuntimeException ex) {
			page.close();
			throw ex;
		}
	}

	private static String publicKeyHash(Path pem) {
		try (InputStream in = Files.newInputStream(pem)) {
			Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the certificate " + pem, ex);
		}
	}

	/**
	 * Waits until the video has played a stretch of media: playback starts, then
	 * {@code currentTime} advances by {@code media}.
	 * @param media how much media to play
	 * @param startTimeout how long playback may take to start
	 * @return what was seen
	 */
	public Playback awaitPlayback(Duration media, Duration startTimeout) {
		double start = await("playback to start").atMost(startTimeout)
			.pollInterval(Duration.ofMillis(200))
			.until(this::currentTime, (time) -> time > 0);
		Instant started = Instant.now();
		List<Double> samples = new CopyOnWriteArrayList<>();
		double seconds = media.toMillis() / 1000.0;
		await(media.toSeconds() + " s of playback").atMost(media.plusSeconds(15))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				double time = currentTime();
				samples.add(time);
				return time - start >= seconds;
			});
		return new Playback(start, List.copyOf(samples), Duration.between(started, Instant.now()));
	}

	/**
	 * The video's {@code currentTime}.
	 * @return the playback position, in seconds
	 */
	public double currentTime() {
		return ((Number) script("return document.querySelector('video').currentTime")).doubleValue();
	}

	/**
	 * Whether the video is paused.
	 * @return {@code video.paused}
	 */
	public boolean paused() {
		return Boolean.TRUE.equals(script("return document.querySelector('video').paused"));
	}

	/**
	 * The page's figures.
	 * @return {@code window.dandelionStats} as the page keeps it now
	 * @throws IOException when they cannot be read
	 */
	public Stats stats() throws IOException {
		String json = (String) script("return JSON.stringify(window.dandelionStats || null)");
		assertThat(json).as("window.dandelionStats").isNotEqualTo("null");
		return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.readValue(json, Stats.class);
	}

	/**
	 * Runs a script in the page.
	 * @param script the script, with a {@code return} for its value
	 * @return its value
	 */
	public Object script(String script) {
		return ((JavascriptExecutor) this.browser).executeScript(script);
	}

	/**
	 * Saves what the browser shows, for humans.
	 * @param file the PNG file to write
	 * @throws IOException when it cannot be written
	 */
	public void saveScreenshot(Path file) throws IOException {
		File shot = this.browser.getScreenshotAs(OutputType.FILE);
		Path parent = file.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	public void close() {
		// quit() also stops chromedriver, which kills the browser's processes.
		this.browser.quit();
	}

	/**
	 * A stretch of playback.
	 *
	 * @param start the {@code currentTime} when playback had started
	 * @param samples the {@code currentTime}s seen while it played
	 * @param elapsed the wall time it took
	 */
	public record Playback(double start, List<Double> samples, Duration elapsed) {

	}

	/**
	 * {@code window.dandelionStats} as the page keeps it.
	 *
	 * @param boxBytes segment bytes that came from boxes
	 * @param originBytes segment bytes that came from the publisher
	 * @param segments every loaded segment, in load order
	 * @param integrity {@code verifying} once the page can check segments,
	 * {@code cannot verify: …} when it cannot
	 * @param verified segments from boxes whose SHA-256 the signed manifest has
	 * @param tampered segments from boxes that did not match it, never played
	 * @param tamperedSegments those segments, in the order they were caught
	 */
	public record Stats(long boxBytes, long originBytes, List<Segment> segments, String integrity, long verified,
			long tampered, List<TamperedSegment> tamperedSegments) {

		/**
		 * The offload ratio.
		 * @return the share of segment bytes that came from boxes, 0 before any
		 */
		public double boxShare() {
			long total = this.boxBytes + this.originBytes;
			return (total == 0) ? 0 : (double) this.boxBytes / total;
		}

	}

	/**
	 * One entry of {@code window.dandelionStats.segments}.
	 *
	 * @param url where the bytes came from, after redirects
	 * @param host the box's {@code host:port}, or {@code origin}
	 * @param bytes the segment's bytes
	 * @param fromBox whether a box sent them
	 * @param integrity {@code verified} (a box's bytes matched the manifest),
	 * {@code origin} (the publisher sent them), {@code refetched} (the publisher's copy
	 * replaced a box's tampered one) or {@code unverified}
	 */
	public record Segment(String url, String host, long bytes, boolean fromBox, String integrity) {

		/**
		 * The file name the URL ends with.
		 * @return the last path segment of the URL
		 */
		public String fileName() {
			return this.url.substring(this.url.lastIndexOf('/') + 1);
		}

	}

	/**
	 * One entry of {@code window.dandelionStats.tamperedSegments}: a box's segment that
	 * did not match the signed manifest.
	 *
	 * @param name its public name, e.g. {@code /live/demo/seg003.ts}
	 * @param host the box's {@code host:port}
	 * @param url the box URL the bytes came from
	 * @param sha256 what they hashed to
	 * @param why why they were refused
	 * @param refetched whether the publisher's own copy replaced them
	 * @param verdict what the publisher answered the page's report, {@code null} until it
	 * answered
	 */
	public record TamperedSegment(String name, String host, String url, String sha256, String why, boolean refetched,
			String verdict) {

	}

}
