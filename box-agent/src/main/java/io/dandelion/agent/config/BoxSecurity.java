package io.dandelion.agent.config;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the box proves and what it insists on: {@code SECURITY_MODE}, its
 * {@code CREDENTIAL}, {@code SIGNED_VIEWER_URLS} and the {@code ENTRANCE_PUBLIC_KEYS}
 * whose tickets it accepts, read once at start-up. A setting that does not read stops
 * start-up with a message naming it (and never a secret).
 */
public final class BoxSecurity {

	private static final Logger logger = LoggerFactory.getLogger(BoxSecurity.class);

	private final SecurityMode mode;

	private final NodeCredential credential;

	private final boolean signedViewerUrls;

	private final List<PublicKey> entranceKeys;

	private BoxSecurity(SecurityMode mode, NodeCredential credential, boolean signedViewerUrls,
			List<PublicKey> entranceKeys) {
		this.mode = mode;
		this.credential = credential;
		this.signedViewerUrls = signedViewerUrls;
		this.entranceKeys = List.copyOf(entranceKeys);
	}

	/**
	 * Reads the box's settings of trust.
	 * @param security the settings every node shares
	 * @param box the box's settings
	 * @return the box's trust
	 * @throws IllegalStateException when the credential does not read or is not a box's,
	 * or when a key does not read (naming its index)
	 */
	public static BoxSecurity of(SecurityProperties security, BoxProperties box) {
		NodeCredential credential = security.nodeCredential().orElse(null);
		if (credential != null && credential.id().role() != Role.BOX) {
			throw new IllegalStateException("CREDENTIAL was issued to " + credential.id().value()
					+ ", which is not a box: a box's credential starts with box-. Ask the entrance's operator for "
					+ "the credential of this box");
		}
		List<String> texts = box.security().entrancePublicKeys();
		List<PublicKey> keys = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			try {
				keys.add(Ed25519Keys.decode((texts.get(i) != null) ? texts.get(i).strip() : null));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("ENTRANCE_PUBLIC_KEYS[" + i + "] (box.security.entrance-public-keys["
						+ i + "]) is not an entrance key: " + ex.getMessage()
						+ "; copy it from the entrance's GET /dandelion/api/v1/keys", ex);
			}
		}
		return new BoxSecurity(security.mode(), credential, security.signedViewerUrls(), keys);
	}

	/**
	 * How much the box insists on proof.
	 * @return the mode
	 */
	public SecurityMode mode() {
		return this.mode;
	}

	/**
	 * The credential an entrance issued to this box.
	 * @return the credential, empty when none is configured
	 */
	public Optional<NodeCredential> credential() {
		return Optional.ofNullable(this.credential);
	}

	/**
	 * The keys of the entrances whose publish tickets the box accepts.
	 * @return the keys, possibly none
	 */
	public List<PublicKey> entranceKeys() {
		return this.entranceKeys;
	}

	/**
	 * Whether the file server insists on signed viewer URLs: {@code SIGNED_VIEWER_URLS}
	 * in strict mode (compatible mode serves the original's unsigned URLs).
	 * @return {@code true} when a file request needs a valid signature
	 */
	public boolean viewerUrlsSigned() {
		return this.signedViewerUrls && this.mode == SecurityMode.STRICT;
	}

	/**
	 * Logs, once at start-up, what the settings will make the box refuse or be refused,
	 * so that an operator sees why before the first heartbeat, publisher or viewer.
	 * @param boxId the box's ID, which a credential must be issued to
	 */
	public void reportAtStartup(NodeId boxId) {
		boolean strict = this.mode == SecurityMode.STRICT;
		if (strict && this.credential == null) {
			logger.error("SECURITY_MODE is strict but no CREDENTIAL is set: entrances in strict mode will refuse this "
					+ "box's heartbeats. Ask the entrance's operator for a credential for {} (this box's ID) and set "
					+ "CREDENTIAL", boxId.value());
		}
		if (strict && this.entranceKeys.isEmpty()) {
			logger.error("SECURITY_MODE is strict but ENTRANCE_PUBLIC_KEYS is empty: this box accepts no publisher, "
					+ "since every PUBLISH needs a ticket signed by an entrance it trusts. Set ENTRANCE_PUBLIC_KEYS "
					+ "to the keys of your entrances (GET /dandelion/api/v1/keys on each)");
		}
		else if (this.entranceKeys.isEmpty()) {
			logger.warn("ENTRANCE_PUBLIC_KEYS is empty: publishers without a ticket (the original's) are accepted, "
					+ "but a PUBLISH with a ticket is refused, since no entrance's signature can be checked");
		}
		if (viewerUrlsSigned() && this.credential == null) {
			logger.error("SIGNED_VIEWER_URLS is on in strict mode but no CREDENTIAL is set: the box has no URL secret "
					+ "to check viewer URL signatures with, so its file server answers 403 to every file. Set "
					+ "CREDENTIAL, or SIGNED_VIEWER_URLS: false to serve unsigned URLs");
		}
	}

}
