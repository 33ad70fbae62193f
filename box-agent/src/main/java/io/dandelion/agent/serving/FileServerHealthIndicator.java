package io.dandelion.agent.serving;

import java.util.Locale;

import io.dandelion.agent.config.BoxProperties.FileServer;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.agent.serving.FileServerProbe.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;

/**
 * The {@code fileServer} component of {@code /actuator/health}: UP when the file server
 * sends the box's probe file through the data port, byte for byte, DOWN otherwise, e.g.
 * when nginx's workers cannot read the store, so a box that serves nothing never looks
 * healthy. An external nginx that does not answer yet is UNKNOWN rather than DOWN, since
 * it may be started only once the box is healthy (the compose sidecars are). Each check
 * also sets {@code dandelion_box_file_server_serving}, which a background job keeps
 * current between health checks ({@code ServingConfiguration}).
 */
final class FileServerHealthIndicator implements ReactiveHealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(FileServerHealthIndicator.class);

	private final FileServerProbe probe;

	private final FileServer mode;

	private final AgentMetrics metrics;

	/** What the last check found, {@code null} before the first. */
	private volatile Boolean served;

	FileServerHealthIndicator(FileServerProbe probe, FileServer mode, AgentMetrics metrics) {
		this.probe = probe;
		this.mode = mode;
		this.metrics = metrics;
	}

	@Override
	public Mono<Health> health() {
		return this.probe.check().map((result) -> {
			report(result);
			Health.Builder health;
			if (result.served()) {
				health = Health.up();
			}
			else if (this.mode == FileServer.EXTERNAL && !result.answered()) {
				health = Health.unknown().withDetail("problem", result.problem());
			}
			else {
				health = Health.down()
					.withDetail("problem", result.problem())
					.withDetail("probeFile", this.probe.file());
			}
			return health.withDetail("mode", this.mode.name().toLowerCase(Locale.ROOT))
				.withDetail("probe", result.uri().toString())
				.build();
		});
	}

	/**
	 * Logs when the file server stops or starts serving the probe, not at every check.
	 */
	private void report(Result result) {
		Boolean before = this.served;
		this.served = result.served();
		this.metrics.fileServerServing(result.served());
		if (result.served() && Boolean.FALSE.equals(before)) {
			logger.info("The file server serves the store again ({})", result.uri());
		}
		else if (!result.served() && !Boolean.FALSE.equals(before)) {
			logger.warn("The file server does not serve the store: GET {} {}; can it read {}?", result.uri(),
					result.problem(), this.probe.file());
		}
	}

}
