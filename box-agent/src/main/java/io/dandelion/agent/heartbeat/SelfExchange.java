package io.dandelion.agent.heartbeat;

import java.time.Duration;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.publish.PublicAddress;
import io.dandelion.agent.serving.DataPort;
import io.dandelion.agent.sysinfo.SystemSampler;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.identity.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * The box's own EXCHANGE fields, measured once per period (as the original's
 * {@code update_self_exchange}) and shared by the heartbeats to every entrance: ID,
 * public IP, port, {@code CONNECT_WS}, {@code DATA_PORT}, {@code DATA_SCHEME} and the
 * system figures.
 */
@Component
class SelfExchange {

	private static final Logger logger = LoggerFactory.getLogger(SelfExchange.class);

	private final NodeId nodeId;

	private final PublicAddress address;

	private final SystemSampler sampler;

	private final SelfExchangeRepository repository;

	private final DataPort dataPort;

	private final Duration period;

	private final Sinks.Many<ExchangeRequest> latest = Sinks.many().replay().latest();

	private volatile int serverPort;

	SelfExchange(NodeId nodeId, PublicAddress address, SystemSampler sampler, SelfExchangeRepository repository,
			DataPort dataPort, BoxProperties properties) {
		this.nodeId = nodeId;
		this.address = address;
		this.sampler = sampler;
		this.repository = repository;
		this.dataPort = dataPort;
		this.period = properties.pingEntranceFreq();
	}

	/**
	 * Sets the port the box's web server listens on, once it is known.
	 * @param port the port
	 */
	void serverPort(int port) {
		this.serverPort = port;
	}

	/**
	 * Measures every period until cancelled; a failed round is logged and the next one
	 * tried.
	 * @param eachRound work to do each period after measuring
	 * @return the loop
	 */
	Flux<Void> run(Runnable eachRound) {
		return Flux.interval(Duration.ZERO, this.period)
			.onBackpressureDrop()
			.concatMap((tick) -> refresh().then(Mono.fromRunnable(eachRound)).onErrorResume((ex) -> {
				logger.warn("Could not refresh the box's exchange data: {}", ex.toString());
				return Mono.empty();
			}))
			.thenMany(Flux.<Void>empty());
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
