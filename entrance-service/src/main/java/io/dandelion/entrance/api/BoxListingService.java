package io.dandelion.entrance.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.Candidate;
import io.dandelion.entrance.ranking.RankedBox;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.registry.LiveBox;
import io.dandelion.entrance.system.EntranceProperties;
import io.dandelion.entrance.traffic.TrafficRepository;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

/**
 * Builds the REST API's view of live boxes: each box's stored heartbeat, its traffic
 * totals and its current score without a publisher (so distance is neutral).
 */
@Service
class BoxListingService {

	private static final int READ_CONCURRENCY = 16;

	private final BoxRepository boxes;

	private final TrafficRepository traffic;

	private final BoxRanker ranker;

	private final EntranceProperties properties;

	private final Clock clock;

	BoxListingService(BoxRepository boxes, TrafficRepository traffic, BoxRanker ranker, EntranceProperties properties,
			Clock clock) {
		this.boxes = boxes;
		this.traffic = traffic;
		this.ranker = ranker;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The live boxes, best score first; at most as many as a SEARCH would rank, the most
	 * recently heard from.
	 * @return the boxes
	 */
	Flux<BoxResponse> live() {
		return this.boxes.findLive(this.clock.instant(), this.properties.maxSearchCandidates())
			.collectList()
			.flatMapMany((live) -> {
				Map<String, LiveBox> byId = live.stream()
					.collect(Collectors.toMap(LiveBox::id, Function.identity(), (first, second) -> second));
				List<RankedBox> ranked = this.ranker.scoreAll(live.stream().map(BoxListingService::candidate).toList());
				return Flux.fromIterable(ranked)
					.flatMapSequential((box) -> response(byId.get(box.id()), box), READ_CONCURRENCY);
			});
	}

	/**
	 * One live box.
	 * @param boxId the box's ID
	 * @return the box; fails with {@link InvalidBoxIdException} when the ID is not a box
	 * ID and {@link UnknownBoxException} when no such box is live
	 */
	Mono<BoxResponse> find(String boxId) {
		return Mono.fromCallable(() -> new NodeId(Role.BOX, boxId))
			.onErrorMap(IllegalArgumentException.class, (ex) -> new InvalidBoxIdException(ex.getMessage()))
			.flatMap((id) -> this.boxes.find(id.value()))
			.filter((box) -> isLive(box, this.clock.instant()))
			.switchIfEmpty(Mono.error(() -> new UnknownBoxException(boxId)))
			.flatMap((box) -> response(box, this.ranker.score(candidate(box))));
	}

	private Mono<BoxResponse> response(LiveBox box, RankedBox ranked) {
		return this.traffic.totals(box.id()).map((totals) -> BoxResponse.of(box, ranked, totals));
	}

	// The hash outlives the expiry until the sweeper's next run: expiry decides.
	private static boolean isLive(LiveBox box, Instant now) {
		return box.expiresAt().isAfter(now);
	}

	private static Candidate candidate(LiveBox box) {
		return Candidate.of(box.exchange(), box.lastSeen(), box.expiresAt());
	}

}
