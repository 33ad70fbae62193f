package io.dandelion.support.background;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The periodic jobs of {@link BackgroundJob#every}, on virtual time.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundJobTests {

	private static final Duration PERIOD = Duration.ofSeconds(10);

	@Test
	void shouldRunAfterTheInitialDelayThenEveryPeriod() {
		AtomicInteger runs = new AtomicInteger();
		BackgroundJob job = BackgroundJob.every("checker", Duration.ofSeconds(3), PERIOD,
				() -> Mono.fromRunnable(runs::incrementAndGet));
		assertRuns(job, runs, after(Duration.ofMillis(2999), 0), after(Duration.ofMillis(1), 1),
				after(PERIOD.multipliedBy(3), 4));
	}

	@Test
	void shouldRunAtOnceWithoutAnInitialDelay() {
		AtomicInteger runs = new AtomicInteger();
		BackgroundJob job = BackgroundJob.every("seeder", PERIOD, () -> Mono.fromRunnable(runs::incrementAndGet));
		assertRuns(job, runs, after(Duration.ZERO, 1), after(PERIOD, 2));
	}

	@Test
	void shouldSkipTheTicksThatComeWhileARunIsStillGoing() {
		AtomicInteger runs = new AtomicInteger();
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		// Each run takes two and a half periods: the two ticks during it are skipped,
		// not queued
		BackgroundJob job = BackgroundJob.every("slow sweeper", PERIOD,
				() -> Mono.delay(PERIOD.multipliedBy(5).dividedBy(2)).then().doOnSubscribe((subscription) -> {
					runs.incrementAndGet();
					mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
				}).doFinally((signal) -> running.decrementAndGet()));
		assertRuns(job, runs, after(Duration.ZERO, 1), after(Duration.ofSeconds(29), 1),
				after(Duration.ofSeconds(1), 2), after(Duration.ofSeconds(30), 3));
		assertThat(mostAtOnce).hasValue(1);
	}

	@Test
	void shouldLogAFailedRunAndRunTheNextOnTime(CapturedOutput output) {
		AtomicInteger runs = new AtomicInteger();
		BackgroundJob job = BackgroundJob.every("box expiry sweeper", PERIOD, () -> {
			int run = runs.incrementAndGet();
			if (run == 1) {
				return Mono.error(new IllegalStateException("Redis gone"));
			}
			if (run == 2) {
				// Thrown rather than signalled: the same
				throw new IllegalStateException("no connection");
			}
			return Mono.empty();
		});
		assertRuns(job, runs, after(PERIOD.multipliedBy(2), 3));
		assertThat(output)
			.contains("box expiry sweeper failed; retrying in PT10S: java.lang.IllegalStateException: Redis gone")
			.contains("box expiry sweeper failed; retrying in PT10S: java.lang.IllegalStateException: no connection");
	}

	@Test
	void shouldSayOnceAMinuteThatRunsFailWhileRedisIsUnavailable(CapturedOutput output) {
		AtomicInteger runs = new AtomicInteger();
		BackgroundJob job = BackgroundJob.every("file expiry sweeper", PERIOD, () -> {
			runs.incrementAndGet();
			return Mono.error(new RedisSystemException("Redis exception",
					new RedisException("Currently not connected. Commands are rejected.")));
		});
		assertRuns(job, runs, after(PERIOD.multipliedBy(4), 5));
		assertThat(output.getOut().lines().filter((line) -> line.contains("file expiry sweeper failed")))
			.singleElement()
			.asString()
			.contains("while Redis is unavailable", "said once a minute");
	}

	@Test
	void shouldBeDescribedWithItsPeriod() {
		BackgroundJob job = BackgroundJob.every("entrance federation check", PERIOD, PERIOD, Mono::empty);
		assertThat(job.name()).isEqualTo("entrance federation check");
		assertThat(job.description()).isEqualTo("entrance federation check every PT10S");
	}

	@Test
	void shouldRefuseAPeriodThatIsNotPositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackgroundJob.every("sweeper", Duration.ZERO, Mono::empty))
			.withMessage("The period of sweeper must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackgroundJob.every("sweeper", Duration.ofSeconds(-1), PERIOD, Mono::empty))
			.withMessage("The initial delay of sweeper must not be negative");
	}

	/**
	 * Runs the job on virtual time, checking how many runs started after each wait.
	 */
	private static void assertRuns(BackgroundJob job, AtomicInteger runs, Check... checks) {
		StepVerifier.Step<?> step = StepVerifier.withVirtualTime(job::run).expectSubscription();
		Duration elapsed = Duration.ZERO;
		for (Check check : checks) {
			elapsed = elapsed.plus(check.await());
			String description = "runs after " + elapsed;
			step = step.thenAwait(check.await()).then(() -> assertThat(runs).as(description).hasValue(check.runs()));
		}
		step.thenCancel().verify(Duration.ofSeconds(5));
	}

	private static Check after(Duration await, int runs) {
		return new Check(await, runs);
	}

	private record Check(Duration await, int runs) {
	}

}
