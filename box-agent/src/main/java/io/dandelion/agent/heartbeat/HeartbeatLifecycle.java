package io.dandelion.agent.heartbeat;

import io.dandelion.agent.traffic.AccessLogTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the box's background loops once the web server is up, and stops them before it
 * goes down: measuring the box each period, reading the access log, and heartbeating to
 * every known entrance. <b>This is the one place that subscribes</b>: every loop is a
 * {@link Flux} that handles its own failures, merged into one subscription here.
 */
@Component
class HeartbeatLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatLifecycle.class);

	private final SelfExchange selfExchange;

	private final EntranceDirectory directory;

	private final EntranceClient client;

	private final AccessLogTailer tailer;

	private final ApplicationContext context;

	private volatile Disposable running;

	HeartbeatLifecycle(SelfExchange selfExchange, EntranceDirectory directory, EntranceClient client,
			AccessLogTailer tailer, ApplicationContext context) {
		this.selfExchange = selfExchange;
		this.directory = directory;
		this.client = client;
		this.tailer = tailer;
		this.context = context;
	}

	@Override
	public void start() {
		this.selfExchange.serverPort(serverPort());
		Flux<Void> heartbeats = this.directory.additions()
			.flatMap((entrance) -> this.client.heartbeats(entrance).takeUntilOther(entrance.removed()),
					Integer.MAX_VALUE);
		Flux<Void> loops = Flux.merge(this.selfExchange.run(this.directory::forgetUnreachable), this.tailer.run(),
				heartbeats);
		// The one subscription of the box's background work (see the class comment)
		this.running = loops.subscribe(null,
				(ex) -> logger.error("The box's background loops stopped; heartbeats are no longer sent", ex));
		logger.info("Heartbeating to {} configured entrance(s)", this.directory.entrances().size());
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
			this.running = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	private int serverPort() {
		if (this.context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			return web.getWebServer().getPort();
		}
		Environment environment = this.context.getEnvironment();
		return environment.getProperty("server.port", Integer.class, 7071);
	}

}
