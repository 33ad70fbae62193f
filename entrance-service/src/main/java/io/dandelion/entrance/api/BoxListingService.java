package io.dandelion.entrance.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.probe.BoxProbes;
import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.RankedBox;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.registry.LiveBox;
import io.dandelion.entrance.report.ReportService;
import io.dandelion.entrance.traffic.TrafficRepository;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

/**
 * Builds the REST API's (and the dashboard's) view of live boxes: each box's stored
 * heartbeat, its traffic totals, the reports against it and its current score without a
 * publisher (so distance is neutral), with the figures the entrance's probes measured.
 */
@Service
public class BoxListingService {

	private static final int READ_CONCURRENCY = 16;

	private final BoxRepository boxes;

	private final TrafficRepository traffic;

	private final BoxRanker ranker;

	private final EntranceProperties properties;

	private final ReportService reports;

	private final Clock clock;

	private final BoxProbes probes;

	BoxListingService(BoxRepository boxes, TrafficRepository traffic, BoxRanker ranker, EntranceProperties properties,
			Clock clock, ReportService reports, BoxProbes probes) {
		this.reports = reports;
		this.probes = probes;
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
	public Flux<BoxResponse> live() {
		Instant now = this.clock.instant();
		return this.boxes.findLive(now, this.properties.maxSearchCandidates())
			.collectList()
			.flatMap((live) -> this.reports.candidates(live, now).flatMap(this.probes::measured).map((candidates) -> {
				Map<String, LiveBox> byId = live.stream()
					.collect(Collectors.toMap(LiveBox::id, Function.identity(), (first, second) -> second));
				return this.ranker.scoreAll(candidates)
					.stream()
					.map((ranked) -> new Listed(byId.get(ranked.id()), ranked))
					.toList();
			}))
			.flatMapMany(Flux::fromIterable)
			.flatMapSequential((listed) -> response(listed.box(), listed.rank(), now), READ_CONCURRENCY);
	}

	/**
	 * One live box.
	 * @param boxId the box's ID
	 * @return the box; fails with {@link InvalidBoxIdException} when the ID is not a box
	 * ID and {@link UnknownBoxException} when no such box is live
	 */
	Mono<BoxResponse> find(String boxId) {
		Instant now = this.clock.instant();
		return Mono.fromCallable(() -> new NodeId(Role.BOX, boxId))
			.onErrorMap(IllegalArgumentException.class, (ex) -> new InvalidBoxIdException(ex.getMessage()))
			.flatMap((id) -> this.boxes.find(id.value()))
			.filter((box) -> isLive(box, now))
			.switchIfEmpty(Mono.error(() -> new UnknownBoxException(boxId)))
			.flatMap((box) -> this.reports.candidates(List.of(box), now)
				.flatMap(this.probes::measured)
				.flatMap((candidates) -> response(box, this.ranker.score(candidates.get(0)), now)));
	}

	private Mono<BoxResponse> response(LiveBox box, RankedBox ranked, Instant now) {
		return this.traffic.totals(box.id())
			.zipWith(this.reports.find(box.id(), now).map(Optional::of).defaultIfEmpty(Optional.empty()))
			.map((found) -> BoxResponse.of(box, ranked, found.getT1(), found.getT2().orElse(null)));
	}

	// The hash outlives the expiry until the sweeper's next run: expiry decides.
	private static boolean isLive(LiveBox box, Instant now) {
		return box.expiresAt().isAfter(now);
	}

	/** A live box with its rank, in listing order. */
	private record Listed(LiveBox box, RankedBox rank) {

	}

}
