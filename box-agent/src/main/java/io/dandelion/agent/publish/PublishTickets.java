package io.dandelion.agent.publish;

import java.security.PublicKey;
import java.time.Clock;
import java.util.List;

import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.support.security.SecurityMode;

import org.springframework.stereotype.Component;

/**
 * Decides whether a PUBLISH may attach a publisher to this box: it needs a
 * {@code PUBLISH_TICKET} signed by one of the {@code ENTRANCE_PUBLIC_KEYS}, naming the
 * publisher and this box, unexpired. Compatible mode also lets the original's publishers
 * in, which send no ticket; a ticket that is sent is checked in both modes.
 */
@Component
class PublishTickets {

	private final SecurityMode mode;

	private final List<PublicKey> trustedKeys;

	private final String boxId;

	private final Clock clock;

	PublishTickets(BoxSecurity security, NodeId boxId) {
		this.mode = security.mode();
		this.trustedKeys = security.entranceKeys();
		this.boxId = boxId.value();
		this.clock = Clock.systemUTC();
	}

	/**
	 * Checks the PUBLISH's ticket.
	 * @param request the PUBLISH
	 * @return the ticket, {@code null} for a PUBLISH without one that compatible mode
	 * accepts
	 * @throws AuthException ({@code BAD_TICKET}) when the publisher may not publish here
	 */
	PublishTicket check(PublishRequest request) throws AuthException {
		if (request.publishTicket() == null && this.mode.acceptsUnauthenticated()) {
			return null;
		}
		return PublishTicket.verify(request.publishTicket(), this.trustedKeys, request.id(), this.boxId,
				this.clock.instant());
	}

}
