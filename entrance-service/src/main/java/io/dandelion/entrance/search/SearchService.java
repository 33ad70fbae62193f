package io.dandelion.entrance.search;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.federation.OwnInfo;
import io.dandelion.entrance.metrics.EntranceMetrics;
import io.dandelion.entrance.peer.Peer;
import io.dandelion.entrance.probe.BoxProbes;
import io.dandelion.entrance.ranking.Audience;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.RankedBox;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.report.ReportService;
import io.dandelion.entrance.trust.Authentication;
import io.dandelion.entrance.trust.CredentialRepository;
import io.dandelion.entrance.trust.EntranceSigningKey;
import io.dandelion.entrance.trust.RequestAuthenticator;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.support.geo.GeoIpLocator;
import io.dandelion.support.limits.WarningThrottle;

/**
 * Answers a publisher's SEARCH: checks its proof of the publisher's credential, ranks the
 * live boxes that are not suspended for failing the entrance's probes for this publisher
 * (distance by GeoIP, free storage, bandwidth headroom, idle CPU, freshness, measured
 * time to first byte and throughput, lowered for boxes publishers reported), draws the
 * reply among the good ones with some randomness so that publishers do not herd onto the
 * same boxes, and lists them best first with their scores; a publisher that proved its
 * credential also gets, for each box, a ticket to publish to it and the secret its viewer
 * URLs are signed with. A reply is never longer than a publisher reads
 * ({@link #MAX_REPLY_CHARS}): boxes that would make it so are left out.
 */
@Service
public class SearchService {

	private static final Logger logger = LoggerFactory.getLogger(SearchService.class);

	/**
	 * The longest reply, in chars: what a publisher's {@link MessageCodec} reads. A box's
	 * own data is bounded ({@link io.dandelion.entrance.registry.BoxDataLimits}), but
	 * many boxes per reply, or data stored before those limits, could still go over.
	 */
	static final int MAX_REPLY_CHARS = MessageCodec.DEFAULT_MAX_MESSAGE_CHARS;

	private final BoxRepository boxes;

	private final BoxRanker ranker;

	private final EntranceDirectory directory;

	private final GeoIpLocator geoip;

	private final EntranceProperties properties;

	private final EntranceMetrics metrics;

	private final Clock clock;

	private final RequestAuthenticator authenticator;

	private final CredentialRepository credentials;

	private final EntranceSigningKey signingKey;

	private final ReportService reports;

	private final BoxProbes probes;

	private final MessageCodec codec;

	private final WarningThrottle<String> leftOutWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	public SearchService(BoxRepository boxes, BoxRanker ranker, EntranceDirectory directory, GeoIpLocator geoip,
			EntranceProperties properties, EntranceMetrics metrics, Clock clock, RequestAuthenticator authenticator,
			CredentialRepository credentials, EntranceSigningKey signingKey, ReportService reports, BoxProbes probes,
			MessageCodec codec) {
		this.authenticator = authenticator;
		this.probes = probes;
		this.codec = codec;
		this.reports = reports;
		this.credentials = credentials;
		this.signingKey = signingKey;
		this.boxes = boxes;
		this.ranker = ranker;
		this.directory = directory;
		this.geoip = geoip;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Checks a publisher's proof and chooses boxes for it.
	 * @param request the SEARCH
	 * @param peer where it came from
	 * @return the reply; fails with {@link io.dandelion.protocol.auth.AuthException} when
	 * the search is refused
	 */
	public Mono<SearchReply> search(SearchRequest request, Peer peer) {
		return this.authenticator.authenticate(request).flatMap((publisher) -> answer(request, publisher, peer));
	}

	private Mono<SearchReply> answer(SearchRequest request, Authentication publisher, Peer peer) {
		Instant now = this.clock.instant();
		GeoLocation location = this.geoip.locate(peer.locationAddress(request.ip())).orElse(null);
		Audience audience = Audience.of(request.audience(), location);
		int amount = amount(request);
		return this.boxes.findLive(now, this.properties.maxSearchCandidates())
			.collectList()
			.flatMap((live) -> this.reports.candidates(live, now))
			.flatMap(this.probes::searchable)
			.map((candidates) -> this.ranker.choose(candidates, audience, amount))
			.flatMap((chosen) -> boxSet(chosen, publisher, now))
			.flatMap((boxSet) -> this.directory.entranceUrls().map((urls) -> reply(boxSet, urls)))
			.map((reply) -> fitting(reply, request.id()))
			.doOnNext((reply) -> {
				logger.debug("SEARCH from {} at {} ({}, {}, boxes near {}): {} boxes", request.id(), peer.address(),
						(location != null) ? location.city() : "unplaced", publisher.proven() ? "proven" : "unsigned",
						audience, reply.boxSet().size());
			});
	}

	/**
	 * The reply's box entries: what each box reported, never a proof or trust field of
	 * its own, and for a publisher that proved its credential a ticket to publish to the
	 * box and the box's URL secret.
	 */
	private Mono<Map<String, ExchangeRequest>> boxSet(List<RankedBox> chosen, Authentication publisher, Instant now) {
		if (!publisher.proven()) {
			return Mono.just(boxSet(chosen, (box) -> Map.of()));
		}
		return this.credentials.findAll(chosen.stream().map(RankedBox::id).toList())
			.map((boxCredentials) -> boxSet(chosen, (box) -> {
				Map<String, String> trust = new LinkedHashMap<>();
				trust.put(PublishTicket.FIELD, this.signingKey.ticket(publisher.nodeId(), box.id(), now));
				NodeCredential boxCredential = boxCredentials.get(box.id());
				if (boxCredential != null) {
					trust.put(ViewerUrlSignature.SECRET_FIELD, boxCredential.urlSecret());
				}
				return trust;
			}));
	}

	private static Map<String, ExchangeRequest> boxSet(List<RankedBox> chosen,
			Function<RankedBox, Map<String, String>> trustFields) {
		Map<String, ExchangeRequest> boxSet = new LinkedHashMap<>();
		for (RankedBox box : chosen) {
			ExchangeRequest entry = MessageAuth.withoutReservedFields(box.toExchange());
			Map<String, String> extra = new LinkedHashMap<>(entry.extra());
			extra.putAll(trustFields.apply(box));
			boxSet.put(box.id(), entry.withExtra(extra));
		}
		return boxSet;
	}

	private int amount(SearchRequest request) {
		int limit = this.properties.amountOfBoxesPerRequest();
		Integer wanted = request.amount();
		return (wanted != null && wanted > 0) ? Math.min(wanted, limit) : limit;
	}

	private SearchReply reply(Map<String, ExchangeRequest> boxSet, List<String> urls) {
		OwnInfo own = this.directory.ownInfo();
		return new SearchReply(own.id(), own.ip(), own.port(), boxSet, urls);
	}

	/**
	 * The reply if it is short enough, else the reply with as many boxes as fit, taken
	 * best first: a box that does not fit is left out and the next ones still tried, so
	 * that one large box does not cost the publisher every box ranked below it.
	 */
	private SearchReply fitting(SearchReply reply, String publisherId) {
		int chars = this.codec.encode(reply).length();
		if (chars <= MAX_REPLY_CHARS) {
			return reply;
		}
		// The reply's text is its text with no box, plus each box's "ID":{…}, plus a
		// comma between two boxes
		int noBox = this.codec.encode(withBoxSet(reply, Map.of())).length();
		int room = MAX_REPLY_CHARS - noBox;
		Map<String, ExchangeRequest> kept = new LinkedHashMap<>();
		for (Map.Entry<String, ExchangeRequest> box : reply.boxSet().entrySet()) {
			int boxChars = this.codec.encode(withBoxSet(reply, Map.of(box.getKey(), box.getValue()))).length() - noBox
					+ (kept.isEmpty() ? 0 : 1);
			if (boxChars <= room) {
				kept.put(box.getKey(), box.getValue());
				room -= boxChars;
			}
		}
		int leftOut = reply.boxSet().size() - kept.size();
		this.metrics.searchBoxesLeftOut(leftOut);
		if (this.leftOutWarnings.isDue(publisherId)) {
			logger.warn(
					"SEARCH reply to {} left out {} of {} boxes: with them it was {} chars, over the {} a publisher reads "
							+ "(said once a minute per publisher)",
					publisherId, leftOut, reply.boxSet().size(), chars, MAX_REPLY_CHARS);
		}
		return withBoxSet(reply, kept);
	}

	private static SearchReply withBoxSet(SearchReply reply, Map<String, ExchangeRequest> boxSet) {
		return new SearchReply(reply.id(), reply.ip(), reply.port(), boxSet, reply.entranceUrls());
	}

}
