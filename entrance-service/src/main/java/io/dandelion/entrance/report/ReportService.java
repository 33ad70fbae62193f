package io.dandelion.entrance.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.federation.OwnInfo;
import io.dandelion.entrance.peer.Peer;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.Candidate;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.registry.LiveBox;
import io.dandelion.entrance.trust.CredentialRepository;
import io.dandelion.entrance.trust.RequestAuthenticator;
import io.dandelion.protocol.Commands;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.ReportReply;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

/**
 * Takes a publisher's REPORT that a box served wrong bytes: checks its fields, that the
 * box is one this entrance knows, and the publisher's proof (required in every security
 * mode, since a report lowers a box's rank), then counts it against the box. Nothing is
 * recorded for a refused report, its {@code AUTH_TIME} included. Also hands the ranking
 * each box's distinct reporters.
 */
@Service
public class ReportService {

	/** The longest {@code FILE_PATH} a report may name, in chars. */
	static final int MAX_FILE_PATH_CHARS = 1024;

	private static final Logger logger = LoggerFactory.getLogger(ReportService.class);

	private final ReportRepository reports;

	private final BoxRepository boxes;

	private final CredentialRepository credentials;

	private final RequestAuthenticator authenticator;

	private final EntranceDirectory directory;

	private final EntranceProperties properties;

	private final Clock clock;

	public ReportService(ReportRepository reports, BoxRepository boxes, CredentialRepository credentials,
			RequestAuthenticator authenticator, EntranceDirectory directory, EntranceProperties properties,
			Clock clock) {
		this.reports = reports;
		this.boxes = boxes;
		this.credentials = credentials;
		this.authenticator = authenticator;
		this.directory = directory;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Checks a report and counts it.
	 * @param request the REPORT
	 * @param peer where it came from
	 * @return the reply; fails with {@link MessageFormatException} for a bad field or an
	 * unknown box and with {@link io.dandelion.protocol.auth.AuthException} for a missing
	 * or refused proof, nothing recorded
	 */
	public Mono<ReportReply> report(ReportRequest request, Peer peer) {
		// Fields first: a report refused for its fields must not use up its AUTH_TIME
		return Mono.fromRunnable(() -> checkFields(request))
			.then(Mono.defer(() -> isKnown(request.boxId())))
			.flatMap((known) -> known ? this.authenticator.authenticate(request)
					: Mono.error(new MessageFormatException(Reason.BAD_VALUE,
							"BOX_ID " + request.boxId() + " is neither a live box nor a box with a credential here")))
			.flatMap((publisher) -> record(request, publisher.nodeId(), peer));
	}

	/**
	 * Live boxes as the ranking sees them: each with how long it has been live, as
	 * {@link BoxRanker#LIVE_SECONDS}, and the distinct publishers that reported it within
	 * the window, as {@link BoxRanker#REPORTERS}.
	 * @param live the boxes
	 * @param now the time of ranking
	 * @return one candidate per box, in order
	 */
	public Mono<List<Candidate>> candidates(List<LiveBox> live, Instant now) {
		return this.reports.reporters(live.stream().map(LiveBox::id).toList(), windowStart(now))
			.map((reporters) -> live.stream().map((box) -> {
				Map<String, Double> measured = new HashMap<>();
				measured.put(BoxRanker.LIVE_SECONDS,
						Math.max(0, Duration.between(box.firstSeen(), now).toMillis() / 1000.0));
				Long count = reporters.get(box.id());
				if (count != null) {
					measured.put(BoxRanker.REPORTERS, count.doubleValue());
				}
				return new Candidate(box.exchange(), box.lastSeen(), box.expiresAt(), measured);
			}).toList());
	}

	/**
	 * The reports against one box.
	 * @param boxId the box
	 * @param now the current time
	 * @return its reports, or empty when it has none on record
	 */
	public Mono<BoxReports> find(String boxId, Instant now) {
		return this.reports.find(boxId, windowStart(now));
	}

	private Instant windowStart(Instant now) {
		return now.minus(this.properties.reports().window());
	}

	private Mono<ReportReply> record(ReportRequest request, String publisherId, Peer peer) {
		Instant now = this.clock.instant();
		EntranceProperties.Reports settings = this.properties.reports();
		return this.reports
			.record(request.boxId(), publisherId, request.filePath(), now, settings.window(), settings.retention())
			.map((recorded) -> {
				logger.info("Box {} reported by {} at {}: {} for {}; {} reports, {} distinct publishers within {}",
						request.boxId(), publisherId, peer.address(), request.reason(),
						UntrustedText.quote(request.filePath()), recorded.count(), recorded.reporters(),
						settings.window());
				OwnInfo own = this.directory.ownInfo();
				return new ReportReply(own.id(), own.ip(), own.port(), Commands.ACCEPTED);
			});
	}

	// Live, or not yet swept, or issued a credential: never an ID made up to fill Redis
	private Mono<Boolean> isKnown(String boxId) {
		return this.boxes.isListed(boxId)
			.flatMap((listed) -> listed ? Mono.just(true) : this.credentials.exists(boxId));
	}

	private static void checkFields(ReportRequest request) {
		String boxId = request.boxId();
		require("BOX_ID", boxId);
		if (!boxId.startsWith(Role.BOX.idPrefix()) || !NodeId.isValid(boxId)) {
			throw new MessageFormatException(Reason.BAD_VALUE, "BOX_ID " + UntrustedText.quote(boxId)
					+ " is not a box ID (" + Role.BOX.idPrefix() + " followed by 32 lowercase hex digits)");
		}
		require("FILE_PATH", request.filePath());
		if (request.filePath().length() > MAX_FILE_PATH_CHARS) {
			throw new MessageFormatException(Reason.BAD_VALUE,
					"FILE_PATH of " + request.filePath().length() + " chars is longer than " + MAX_FILE_PATH_CHARS);
		}
		require("REASON", request.reason());
		if (!ReportRequest.SHA256_MISMATCH.equals(request.reason())) {
			throw new MessageFormatException(Reason.BAD_VALUE, "REASON must be " + ReportRequest.SHA256_MISMATCH
					+ ", not " + UntrustedText.quote(request.reason()));
		}
	}

	private static void require(String name, String value) {
		if (value == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, name + " is missing");
		}
		if (value.isEmpty()) {
			throw new MessageFormatException(Reason.EMPTY_FIELD, name + " is empty");
		}
	}

}
