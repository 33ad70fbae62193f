package io.dandelion.agent.heartbeat;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.publish.PublicAddress;
import io.dandelion.agent.serving.DataPort;
import io.dandelion.agent.sysinfo.SystemSampler;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.failure.FailureLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The box's own EXCHANGE fields, measured once per period (as the original's
 * {@code update_self_exchange}) and shared by the heartbeats to every entrance: ID,
 * public IP, port, {@code CONNECT_WS}, {@code DATA_PORT}, {@code DATA_SCHEME} and the
 * system figures. Its background job measures every {@code box.ping-entrance-freq}, from
 * start.
 */
@Component
class SelfExchange implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(SelfExchange.class);

	// A Redis outage fails every round: FailureLog says so once a minute, not at each
	private static final FailureLog failures = new FailureLog(logger);

	private final NodeId nodeId;

	private final PublicAddress address;

	private final SystemSampler sampler;

	private final SelfExchangeRepository repository;

	private final DataPort dataPort;

	private final EntranceDirectory directory;

	private final ApplicationContext context;

	private final BackgroundJob periodic;

	private final Sinks.Many<ExchangeRequest> latest = Sinks.many().replay().latest();

	private volatile int serverPort;

	SelfExchange(NodeId nodeId, PublicAddress address, SystemSampler sampler, SelfExchangeRepository repository,
			DataPort dataPort, EntranceDirectory directory, BoxProperties properties, ApplicationContext context) {
		this.nodeId = nodeId;
		this.address = address;
		this.sampler = sampler;
		this.repository = repository;
		this.dataPort = dataPort;
		this.directory = directory;
		this.context = context;
		this.periodic = BackgroundJob.every(name(), properties.pingEntranceFreq(), this::round);
	}

	@Override
	public String name() {
		return "box measurement";
	}

	@Override
	public String description() {
		return this.periodic.description();
	}

	/**
	 * Measures every period, from now until cancelled.
	 * @return the loop
	 */
	@Override
	public Flux<?> run() {
		// Run when the job starts, after the web server: its real port, even when random
		this.serverPort = serverPort();
		return this.periodic.run();
	}

	/**
	 * One period's work: measures, then forgets the learnt entrances unreachable for too
	 * long. A failed round is logged, and the next one tried on time.
	 */
	private Mono<Void> round() {
		return refresh().then(Mono.fromRunnable(this.directory::forgetUnreachable)).onErrorResume((ex) -> {
			failures.failed("Could not refresh the box's exchange data", "trying again next round", ex);
			return Mono.empty();
		}).then();
	}

	private int serverPort() {
		if (this.context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			return web.getWebServer().getPort();
		}
		Environment environment = this.context.getEnvironment();
		return environment.getProperty("server.port", Integer.class, 7071);
	}

	/**
	 * Measures now, stores the result in {@code {box}:SELF_EXCHANGE} and makes it the
	 * current one.
	 * @return the new exchange data
	 */
	Mono<ExchangeRequest> refresh() {
		return this.sampler.sample()
			.map((metrics) -> ExchangeRequest
				.of(this.nodeId.value(), this.address.ip(), this.address.port(this.serverPort),
						this.address.connectWs(this.nodeId.value(), this.serverPort), metrics)
				.withDataPort(this.dataPort.port())
				.withDataScheme(this.dataPort.scheme()))
			.flatMap((exchange) -> this.repository.save(exchange).thenReturn(exchange))
			.doOnNext(this.latest::tryEmitNext);
	}

	/**
	 * The latest exchange data, waiting for the first measurement when there is none yet.
	 * @return the exchange data
	 */
	Mono<ExchangeRequest> current() {
		return this.latest.asFlux().next();
	}

}
