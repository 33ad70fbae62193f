package io.dandelion.entrance.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
import io.dandelion.entrance.registry.BoxRepository.SaveOutcome;
import io.dandelion.entrance.traffic.TrafficRepository;
import io.dandelion.entrance.trust.Authentication;
import io.dandelion.entrance.trust.RequestAuthenticator;
import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.support.geo.GeoIpLocator;

/**
 * Takes a box's heartbeat: checks its proof of the box's credential, places the box with
 * the entrance's own GeoIP lookup, stores its data without the proof (replacing the
 * previous heartbeat's) within the {@link BoxDataLimits} and the
 * {@link RegistrationLimits}, counts its new traffic entries once, and answers with the
 * entrances to heartbeat to and the address the box was seen from.
 */
@Service
public class ExchangeService {

	private static final Logger logger = LoggerFactory.getLogger(ExchangeService.class);

	private final BoxRepository boxes;

	private final TrafficRepository traffic;

	private final EntranceDirectory directory;

	private final GeoIpLocator geoip;

	private final EntranceProperties properties;

	private final Clock clock;

	private final RequestAuthenticator authenticator;

	private final RegistrationLimits limits;

	private final MessageCodec codec;

	public ExchangeService(BoxRepository boxes, TrafficRepository traffic, EntranceDirectory directory,
			GeoIpLocator geoip, EntranceProperties properties, Clock clock, RequestAuthenticator authenticator,
			MessageCodec codec) {
		this.authenticator = authenticator;
		this.codec = codec;
		this.boxes = boxes;
		this.traffic = traffic;
		this.directory = directory;
		this.geoip = geoip;
		this.properties = properties;
		this.clock = clock;
		EntranceProperties.Registration registration = properties.registration();
		this.limits = new RegistrationLimits(registration.maxExchangesPerMinute(), Duration.ofMinutes(1),
				registration.maxLiveBoxesPerNetwork());
	}

	/**
	 * Checks a heartbeat's proof, stores it and builds the reply.
	 * @param exchange the box's EXCHANGE
	 * @param peer where it came from
	 * @return the reply; fails, with nothing stored, with {@link AuthException} when the
	 * heartbeat is refused for its proof, with {@link MessageFormatException} (reason
	 * {@code TOO_LARGE}) when it is over the {@link BoxDataLimits}, with
	 * {@link RegistrationRefusedException} when it is over the {@link RegistrationLimits}
	 */
	public Mono<ExchangeReply> accept(ExchangeRequest exchange, Peer peer) {
		return this.authenticator.authenticate(exchange).flatMap((box) -> store(exchange, box, peer));
	}

	private Mono<ExchangeReply> store(ExchangeRequest exchange, Authentication box, Peer peer) {
		Instant now = this.clock.instant();
		ExchangeRequest stored = MessageAuth.withoutReservedFields(exchange.withTraffic(List.of())
			.withGeoip(locate(exchange, peer))
			.withExtra(withoutEntranceFields(exchange.extra())));
		try {
			BoxDataLimits.check(stored, this.codec.toFields(stored));
		}
		catch (MessageFormatException ex) {
			return Mono.error(ex);
		}
		return this.boxes
			.save(stored, now, this.properties.expireBoxTime(), peer.address(), box.credential(), this.limits)
			.flatMap((outcome) -> refuseUnlessStored(outcome, exchange, peer))
			.then(this.traffic.record(exchange.id(), exchange.traffic(), now, this.properties.traffic().dedupeWindow(),
					this.properties.traffic().historyCap()))
			.doOnNext((recorded) -> {
				logger.debug("EXCHANGE from {} at {} ({}) stored, {} of {} traffic entries new", exchange.id(),
						peer.address(), box.proven() ? "proven" : "unsigned", recorded, exchange.traffic().size());
			})
			.then(this.directory.entranceUrls())
			.map((urls) -> {
				OwnInfo own = this.directory.ownInfo();
				return new ExchangeReply(own.id(), own.ip(), own.port(), urls, Commands.ACCEPTED, peer.address());
			});
	}

	private Mono<Void> refuseUnlessStored(SaveOutcome outcome, ExchangeRequest exchange, Peer peer) {
		Exception refusal = switch (outcome) {
			case STORED -> null;
			case CREDENTIAL_CHANGED -> new AuthException(AuthException.Code.UNAUTHENTICATED,
					"The credential of " + exchange.id() + " was issued or revoked while this heartbeat was checked");
			case RATE_LIMITED -> new RegistrationRefusedException(RegistrationRefusedException.Code.RATE_LIMITED,
					exchange.id() + " sent more than " + this.limits.maxExchangesPerWindow() + " heartbeats within "
							+ this.limits.rateWindow().toSeconds() + " s; this one was not stored, try again later");
			case NETWORK_FULL -> new RegistrationRefusedException(RegistrationRefusedException.Code.NETWORK_FULL,
					"The network of " + peer.locationAddress(exchange.ip()) + " already has "
							+ this.limits.maxLiveBoxesPerNetwork()
							+ " live boxes, the most this entrance registers from one /24 (IPv6 /48); " + exchange.id()
							+ " was not registered, try again once one of them expired");
		};
		return (refusal != null) ? Mono.error(refusal) : Mono.empty();
	}

	/**
	 * The entrance's own lookup wins; the box's claim is kept only when the entrance
	 * cannot place the address.
	 */
	private GeoLocation locate(ExchangeRequest exchange, Peer peer) {
		return this.geoip.locate(peer.locationAddress(exchange.ip())).orElse(exchange.geoip());
	}

	private static Map<String, String> withoutEntranceFields(Map<String, String> extra) {
		Map<String, String> kept = new LinkedHashMap<>(extra);
		kept.keySet().removeAll(List.of(LiveBox.LAST_SEEN, LiveBox.EXPIRES_AT, LiveBox.SEEN_FROM, LiveBox.FIRST_SEEN));
		return kept;
	}

}
