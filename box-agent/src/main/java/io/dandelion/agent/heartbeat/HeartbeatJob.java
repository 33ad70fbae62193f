package io.dandelion.agent.heartbeat;

import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * The box's heartbeats, run once the web server is up: one loop per known entrance,
 * started as the entrance becomes known and stopped when it is forgotten. Each loop
 * handles its own failures. (The measuring they send is {@link SelfExchange}'s job.)
 */
@Component
class HeartbeatJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatJob.class);

	private final EntranceDirectory directory;

	private final EntranceClient client;

	HeartbeatJob(EntranceDirectory directory, EntranceClient client) {
		this.directory = directory;
		this.client = client;
	}

	@Override
	public String name() {
		return "box heartbeats (EXCHANGE to every entrance)";
	}

	@Override
	public Flux<?> run() {
		Flux<Void> heartbeats = this.directory.additions()
			.flatMap((entrance) -> this.client.heartbeats(entrance).takeUntilOther(entrance.removed()),
					Integer.MAX_VALUE);
		logger.info("Heartbeating to {} configured entrance(s)", this.directory.entrances().size());
		return heartbeats;
	}

}
