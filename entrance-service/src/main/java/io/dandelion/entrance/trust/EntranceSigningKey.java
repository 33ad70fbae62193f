package io.dandelion.entrance.trust;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.support.security.SigningKeyFile;

/**
 * The entrance's Ed25519 key pair ({@code ENTRANCE_SIGNING_KEY}), made at first start,
 * which signs the publish tickets of SEARCH replies. Boxes trust its public key through
 * their {@code ENTRANCE_PUBLIC_KEYS}.
 */
@Component
public class EntranceSigningKey {

	private static final Logger logger = LoggerFactory.getLogger(EntranceSigningKey.class);

	private final KeyPair keys;

	private final String publicKey;

	private final String entranceId;

	private final Duration ticketTtl;

	public EntranceSigningKey(EntranceProperties properties, NodeId entranceId) {
		Path file = properties.signingKeyFile();
		this.keys = SigningKeyFile.loadOrCreate(file);
		this.publicKey = Ed25519Keys.encode(this.keys.getPublic());
		this.entranceId = entranceId.value();
		this.ticketTtl = properties.security().ticketTtl();
		// The operator copies it into boxes' configuration: say it where they look first
		logger.info("Publish tickets are signed with the key in {}; boxes trust them with ENTRANCE_PUBLIC_KEYS: {}",
				file, this.publicKey);
	}

	/**
	 * The public key, as boxes' {@code ENTRANCE_PUBLIC_KEYS} hold it.
	 * @return 43 characters of unpadded Base64url
	 */
	public String publicKey() {
		return this.publicKey;
	}

	/**
	 * A ticket that lets a publisher publish to a box for the ticket lifetime
	 * ({@code PUBLISH_TICKET_TTL}).
	 * @param publisherId the publisher
	 * @param boxId the box
	 * @param now the entrance's clock
	 * @return the signed ticket, {@code dt1.…}
	 */
	public String ticket(String publisherId, String boxId, Instant now) {
		return new PublishTicket(this.entranceId, publisherId, boxId, now.plus(this.ticketTtl))
			.sign(this.keys.getPrivate());
	}

}
