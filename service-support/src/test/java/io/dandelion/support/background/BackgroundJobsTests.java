package io.dandelion.support.background;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class BackgroundJobsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BackgroundJobsAutoConfiguration.class));

	@Test
	void shouldRunEveryJobBeanWhileTheApplicationRuns(CapturedOutput output) {
		AtomicInteger sweeps = new AtomicInteger();
		AtomicInteger loops = new AtomicInteger();
		this.runner
			.withBean("sweeper", BackgroundJob.class,
					() -> BackgroundJob.every("box expiry sweeper", Duration.ofMillis(50),
							() -> Mono.fromRunnable(sweeps::incrementAndGet)))
			.withBean("loop", BackgroundJob.class,
					() -> new TestJob("publish queue",
							() -> Flux.interval(Duration.ofMillis(50)).doOnNext((tick) -> loops.incrementAndGet())))
			.run((context) -> {
				assertThat(context).hasSingleBean(BackgroundJobs.class);
				await().atMost(PATIENCE).untilAsserted(() -> {
					assertThat(sweeps).hasValueGreaterThan(2);
					assertThat(loops).hasValueGreaterThan(2);
				});
				assertThat(output).contains("Starting box expiry sweeper every PT0.05S", "Starting publish queue")
					.doesNotContain("Stopped");
			});
		assertThat(output).contains("Stopped box expiry sweeper", "Stopped publish queue");
		int afterStop = sweeps.get();
		await().during(Duration.ofMillis(200))
			.atMost(PATIENCE)
			.untilAsserted(() -> assertThat(sweeps).hasValue(afterStop));
	}

	@Test
	void shouldRestartAFailedJobAfterASecond(CapturedOutput output) {
		List<Long> starts = new CopyOnWriteArrayList<>();
		this.runner.withBean(BackgroundJob.class, () -> new TestJob("box pool", () -> {
			starts.add(System.nanoTime());
			return (starts.size() == 1) ? Flux.error(new IllegalStateException("Redis gone")) : Flux.never();
		})).run((context) -> {
			await().atMost(PATIENCE).until(() -> starts.size() == 2);
			assertThat(Duration.ofNanos(starts.get(1) - starts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(output).contains("box pool failed; restarting in PT1S")
				.contains("java.lang.IllegalStateException: Redis gone");
		});
	}

	@Test
	void shouldRunNothingWithoutJobs() {
		this.runner.run((context) -> assertThat(context.getBean(BackgroundJobs.class).isRunning()).isTrue());
	}

	@Test
	void shouldStartAfterTheWebServerAndStopBeforeIt() {
		List<Boolean> webServerRunning = WebApplication.webServerRunning;
		try (ConfigurableApplicationContext context = new SpringApplication(WebApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1")) {
			assertThat(webServerRunning).containsExactly(true);
		}
		assertThat(webServerRunning).containsExactly(true, true);
	}

	private record TestJob(String name, Supplier<Flux<?>> work) implements BackgroundJob {

		@Override
		public Flux<?> run() {
			return this.work.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApplication {

		/** Whether the web server ran when the job started, then when it stopped. */
		static final List<Boolean> webServerRunning = new CopyOnWriteArrayList<>();

		@Bean
		BackgroundJob watcher(ApplicationContext context) {
			// Registered by ReactiveWebServerApplicationContext under this name
			Supplier<Boolean> running = () -> context.getBean("webServerStartStop", SmartLifecycle.class).isRunning();
			return new TestJob("web server watcher",
					() -> Flux.never()
						.doOnSubscribe((subscription) -> webServerRunning.add(running.get()))
						.doOnCancel(() -> webServerRunning.add(running.get())));
		}

	}

}
