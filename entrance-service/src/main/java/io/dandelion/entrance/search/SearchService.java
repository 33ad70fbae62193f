package io.dandelion.entrance.search;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.federation.OwnInfo;
import io.dandelion.protocol.geo.GeoIpLocator;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.Candidate;
import io.dandelion.entrance.ranking.RankedBox;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.session.Peer;
import io.dandelion.entrance.system.EntranceMetrics;
import io.dandelion.entrance.system.EntranceProperties;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;

/**
 * Answers a publisher's SEARCH: ranks the live boxes for this publisher (distance by
 * GeoIP, free storage, bandwidth headroom, idle CPU, freshness), draws the reply among
 * the good ones with some randomness so that publishers do not herd onto the same boxes,
 * and lists them best first with their scores.
 */
@Service
public class SearchService {

	private static final Logger logger = LoggerFactory.getLogger(SearchService.class);

	private final BoxRepository boxes;

	private final BoxRanker ranker;

	private final EntranceDirectory directory;

	private final GeoIpLocator geoip;

	private final EntranceProperties properties;

	private final EntranceMetrics metrics;

	private final Clock clock;

	public SearchService(BoxRepository boxes, BoxRanker ranker, EntranceDirectory directory, GeoIpLocator geoip,
			EntranceProperties properties, EntranceMetrics metrics, Clock clock) {
		this.boxes = boxes;
		this.ranker = ranker;
		this.directory = directory;
		this.geoip = geoip;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Chooses boxes for a publisher.
	 * @param request the SEARCH
	 * @param peer where it came from
	 * @return the reply
	 */
	public Mono<SearchReply> search(SearchRequest request, Peer peer) {
		Instant now = this.clock.instant();
		GeoLocation publisher = this.geoip.locate(peer.locationAddress(request.ip())).orElse(null);
		int amount = amount(request);
		return this.boxes.findLive(now, this.properties.maxSearchCandidates())
			.map((box) -> Candidate.of(box.exchange(), box.lastSeen(), box.expiresAt()))
			.collectList()
			.map((candidates) -> this.ranker.choose(candidates, publisher, amount))
			.flatMap((chosen) -> this.directory.entranceUrls().map((urls) -> reply(chosen, urls)))
			.doOnNext((reply) -> {
				this.metrics.searchAnswered();
				logger.debug("SEARCH from {} at {} ({}): {} boxes", request.id(), peer.address(),
						(publisher != null) ? publisher.city() : "unplaced", reply.boxSet().size());
			});
	}

	private int amount(SearchRequest request) {
		int limit = this.properties.amountOfBoxesPerRequest();
		Integer wanted = request.amount();
		return (wanted != null && wanted > 0) ? Math.min(wanted, limit) : limit;
	}

	private SearchReply reply(List<RankedBox> chosen, List<String> urls) {
		Map<String, ExchangeRequest> boxSet = new LinkedHashMap<>();
		chosen.forEach((box) -> boxSet.put(box.id(), box.toExchange()));
		OwnInfo own = this.directory.ownInfo();
		return new SearchReply(own.id(), own.ip(), own.port(), boxSet, urls);
	}

}
