package io.dandelion.agent.heartbeat;

import io.dandelion.agent.traffic.AccessLogTailer;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The box's background loops, run once the web server is up: measuring the box each
 * period, reading the access log, and heartbeating to every known entrance. Each loop is
 * a {@link Flux} that handles its own failures; they are merged into the one job.
 */
@Component
class HeartbeatJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatJob.class);

	private final SelfExchange selfExchange;

	private final EntranceDirectory directory;

	private final EntranceClient client;

	private final AccessLogTailer tailer;

	private final ApplicationContext context;

	HeartbeatJob(SelfExchange selfExchange, EntranceDirectory directory, EntranceClient client, AccessLogTailer tailer,
			ApplicationContext context) {
		this.selfExchange = selfExchange;
		this.directory = directory;
		this.client = client;
		this.tailer = tailer;
		this.context = context;
	}

	@Override
	public String name() {
		return "box heartbeats (measuring, access log, EXCHANGE to every entrance)";
	}

	@Override
	public Flux<?> run() {
		// Run when the job starts, after the web server: its real port, even when random
		this.selfExchange.serverPort(serverPort());
		Flux<Void> heartbeats = this.directory.additions()
			.flatMap((entrance) -> this.client.heartbeats(entrance).takeUntilOther(entrance.removed()),
					Integer.MAX_VALUE);
		logger.info("Heartbeating to {} configured entrance(s)", this.directory.entrances().size());
		return Flux.merge(this.selfExchange.run(this.directory::forgetUnreachable), this.tailer.run(), heartbeats);
	}

	private int serverPort() {
		if (this.context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			return web.getWebServer().getPort();
		}
		Environment environment = this.context.getEnvironment();
		return environment.getProperty("server.port", Integer.class, 7071);
	}

}
