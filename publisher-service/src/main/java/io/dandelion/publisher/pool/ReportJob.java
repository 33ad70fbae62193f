package io.dandelion.publisher.pool;

import java.net.URI;

import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.pool.BoxPool.Exclusion;
import io.dandelion.publisher.pool.ReportClient.ReportRefusedException;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Tells every entrance the publisher searches about each box it excluded, with a signed
 * REPORT ({@code REASON: SHA256_MISMATCH}), so that they rank the box down for everyone.
 * An entrance that refuses it or does not answer is logged and left; the exclusion stands
 * either way.
 */
@Component
class ReportJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(ReportJob.class);

	private static final int CONCURRENCY = 8;

	private final BoxPool pool;

	private final KnownEntrances entrances;

	private final ReportClient client;

	private final RequestSigner signer;

	private final String publisherId;

	private final PublisherAddress address;

	ReportJob(BoxPool pool, KnownEntrances entrances, ReportClient client, RequestSigner signer, NodeId nodeId,
			PublisherAddress address) {
		this.pool = pool;
		this.entrances = entrances;
		this.client = client;
		this.signer = signer;
		this.publisherId = nodeId.value();
		this.address = address;
	}

	@Override
	public String name() {
		return "reports of excluded boxes to the entrances";
	}

	@Override
	public Flux<?> run() {
		return this.pool.exclusions().concatMap(this::reportEverywhere);
	}

	Mono<Void> reportEverywhere(Exclusion exclusion) {
		if (!this.signer.hasCredential()) {
			logger.warn("Not reporting box {} to the entrances: a REPORT must prove a credential, and CREDENTIAL is "
					+ "not set", exclusion.boxId());
			return Mono.empty();
		}
		ReportRequest report = new ReportRequest(this.publisherId, this.address.ip(), null, exclusion.boxId(),
				exclusion.filePath(), ReportRequest.SHA256_MISMATCH, null, null);
		return Flux.fromIterable(this.entrances.all())
			.flatMap((entrance) -> report(entrance, report), CONCURRENCY)
			.then();
	}

	private Mono<Void> report(URI entrance, ReportRequest report) {
		return this.client.report(entrance, report).doOnNext((reply) -> {
			if (Commands.ACCEPTED.equals(reply.message())) {
				logger.info("Reported box {} ({} {}) to entrance {}", report.boxId(), report.reason(),
						report.filePath(), entrance);
			}
			else {
				logger.warn("Entrance {} answered the REPORT of box {} with {}", entrance, report.boxId(),
						reply.message());
			}
		}).onErrorResume((ex) -> {
			if (ex instanceof ReportRefusedException refused) {
				// An entrance older than REPORT answers UNKNOWN_COMMAND: it keeps ranking
				// the box as before
				logger.warn("Entrance {} refused the REPORT of box {}: {}", entrance, report.boxId(),
						refused.getMessage());
			}
			else {
				logger.warn("Cannot report box {} to entrance {}: {}", report.boxId(), entrance, ex.toString());
			}
			return Mono.empty();
		}).then();
	}

}
