package io.dandelion.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.dandelion.network.DandelionScript.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./dandelion} refuses or reports without starting anything: each run has a
 * fresh run directory, and nothing may be started or recorded in it.
 */
class DandelionScriptIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private DandelionScript script;

	@BeforeEach
	void freshRunDirectory() throws Exception {
		this.script = new DandelionScript(Files.createTempDirectory(Path.of("target"), "script-run"));
	}

	@Test
	void shouldRefuseABoxCountOutOfRange() throws Exception {
		for (String count : new String[] { "0", "251", "-1", "three" }) {
			Result result = this.script.run(TIMEOUT, "up", "--boxes", count, "--no-build");
			assertThat(result.exitCode()).as("up --boxes %s", count).isEqualTo(1);
			assertThat(result.output()).contains("--boxes must be a number from 1 to 250, not " + count);
			assertNothingStarted();
		}
		Result missing = this.script.run(TIMEOUT, "up", "--boxes");
		assertThat(missing.exitCode()).isEqualTo(1);
		assertThat(missing.output()).contains("--boxes needs a number");
		assertNothingStarted();
	}

	@Test
	void shouldRefuseAnEntranceCountOutOfRange() throws Exception {
		for (String count : new String[] { "0", "4", "two" }) {
			Result result = this.script.run(TIMEOUT, "up", "--entrances", count, "--no-build");
			assertThat(result.exitCode()).as("up --entrances %s", count).isEqualTo(1);
			assertThat(result.output()).contains("--entrances must be 1, 2 or 3, not " + count);
			assertNothingStarted();
		}
	}

	@Test
	void shouldRefuseAnUnknownOption() throws Exception {
		Result result = this.script.run(TIMEOUT, "up", "--frobnicate");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("unknown option --frobnicate", "--boxes N");
		assertNothingStarted();
	}

	@Test
	void shouldShowUsageForAnUnknownCommand() throws Exception {
		Result result = this.script.run(TIMEOUT, "frobnicate");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.output()).contains("Usage: ./dandelion up", "./dandelion status", "./dandelion down");
		Result help = this.script.run(TIMEOUT, "--help");
		assertThat(help.exitCode()).isZero();
		assertThat(help.output()).contains("Usage: ./dandelion up");
	}

	@Test
	void shouldSayNothingRunsWhenNothingWasStarted() throws Exception {
		Result status = this.script.run(TIMEOUT, "status");
		assertThat(status.exitCode()).isZero();
		assertThat(status.output()).contains("Not running (start it with ./dandelion up)");
		Result down = this.script.run(TIMEOUT, "down");
		assertThat(down.exitCode()).isZero();
		assertThat(down.output()).contains("Not running");
		assertNothingStarted();
	}

	@Test
	void shouldRefuseToRestartAPartItDidNotStart() throws Exception {
		Result unknown = this.script.run(TIMEOUT, "restart", "box-2");
		assertThat(unknown.exitCode()).isEqualTo(1);
		assertThat(unknown.output()).contains("box-2 is not part of the network in");
		// Only boxes restart on their own: the others hold what the rest was configured
		// with
		Result entrance = this.script.run(TIMEOUT, "restart", "entrance");
		assertThat(entrance.exitCode()).isEqualTo(1);
		assertThat(entrance.output()).contains("usage: ./dandelion restart box-K");
		assertNothingStarted();
	}

	@Test
	void shouldRefuseARedisUrlItCannotUse() throws Exception {
		Result malformed = this.script.run(TIMEOUT, Map.of("REDIS_URL", "http://127.0.0.1:6379"), "up", "--no-build");
		assertThat(malformed.exitCode()).isEqualTo(1);
		assertThat(malformed.output()).contains("REDIS_URL must look like redis://[:PASSWORD@]HOST[:PORT][/DB]",
				"not http://127.0.0.1:6379");
		assertNothingStarted();
		// Port 1 on loopback: nothing listens there
		Result silent = this.script.run(TIMEOUT, Map.of("REDIS_URL", "redis://127.0.0.1:1/3"), "up", "--no-build");
		assertThat(silent.exitCode()).isEqualTo(1);
		assertThat(silent.output()).contains("no PONG from Redis at 127.0.0.1:1",
				"redis failed: no PONG from REDIS_URL 127.0.0.1:1");
		assertNothingStarted();
	}

	private void assertNothingStarted() {
		assertThat(this.script.runDirectory().resolve("pids/order")).doesNotExist();
		assertThat(this.script.processesOfTheRunDirectory()).isEmpty();
	}

}
