package io.dandelion.entrance.registry;

import java.time.Instant;
import java.util.Objects;

import io.dandelion.protocol.ExchangeRequest;

/**
 * A box the entrance currently knows: its last exchange data (with the entrance's own
 * GeoIP lookup) and when it was heard from.
 *
 * @param exchange the box's last EXCHANGE, as stored
 * @param lastSeen when that EXCHANGE arrived
 * @param expiresAt when the box is dropped unless it heartbeats again
 * @param seenFrom the address the EXCHANGE came from
 * @param firstSeen when the box was first stored since it was last dropped: it has been
 * live ever since
 */
public record LiveBox(ExchangeRequest exchange, Instant lastSeen, Instant expiresAt, String seenFrom,
		Instant firstSeen) {

	/** Hash fields the entrance adds to a box's exchange data; a box cannot set them. */
	static final String LAST_SEEN = "LAST_SEEN";

	static final String EXPIRES_AT = "EXPIRES_AT";

	static final String SEEN_FROM = "SEEN_FROM";

	static final String FIRST_SEEN = "FIRST_SEEN";

	public LiveBox {
		Objects.requireNonNull(exchange, "exchange");
		Objects.requireNonNull(lastSeen, "lastSeen");
		Objects.requireNonNull(expiresAt, "expiresAt");
		Objects.requireNonNull(firstSeen, "firstSeen");
	}

	/**
	 * The box's ID.
	 * @return the ID
	 */
	public String id() {
		return this.exchange.id();
	}

}
