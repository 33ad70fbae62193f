package io.dandelion.publisher.pool;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.audience.ViewerAudience;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Sends one SEARCH to an entrance, the original's way: one connection, one request, one
 * reply. It names where the publisher's viewers are ({@code AUDIENCE}), so that the
 * entrance ranks boxes near them first. With a {@code CREDENTIAL} every SEARCH carries a
 * fresh proof of it ({@link MessageAuth}), which entrances in strict mode require.
 */
@Component
class SearchClient {

	private final EntranceRequest entrances;

	private final MessageCodec codec;

	private final ObjectMapper mapper;

	private final SearchRequest request;

	private final RequestSigner signer;

	private final ViewerAudience audience;

	SearchClient(EntranceRequest entrances, MessageCodec codec, ObjectMapper mapper, NodeId nodeId,
			PublisherAddress address, RequestSigner signer, ViewerAudience audience) {
		this.audience = audience;
		this.entrances = entrances;
		this.codec = codec;
		this.mapper = mapper;
		this.request = new SearchRequest(nodeId.value(), address.ip(), null, null);
		this.signer = signer;
	}

	/**
	 * Asks one entrance for boxes.
	 * @param entrance the entrance's WebSocket URL
	 * @return the reply; {@link SearchRefusedException} when the entrance answered an
	 * error reply, another error when it answered something else or nothing
	 */
	Mono<Listing> search(URI entrance) {
		return this.entrances.send(entrance, () -> this.signer.sign(this.request.withAudience(this.audience.regions())))
			.map(this::read);
	}

	private Listing read(Message message) {
		if (message instanceof ErrorReply error) {
			throw new SearchRefusedException(error.errorCode(), refusal(error));
		}
		if (!(message instanceof SearchReply reply)) {
			throw new IllegalStateException("Entrance answered " + message.getClass().getSimpleName());
		}
		List<BoxCandidate> boxes = new ArrayList<>();
		for (ExchangeRequest box : reply.boxSet().values()) {
			BoxCandidate candidate = BoxCandidate.of(box, flat(box));
			if (candidate != null) {
				boxes.add(candidate);
			}
		}
		return new Listing(boxes, reply.entranceUrls());
	}

	/**
	 * The box's exchange data as flat strings, as the original stored them.
	 */
	private Map<String, String> flat(ExchangeRequest box) {
		Map<String, String> fields = new LinkedHashMap<>();
		try {
			JsonNode node = this.mapper.readTree(this.codec.encode(box));
			node.fields().forEachRemaining((field) -> {
				if (field.getValue().isValueNode() && !field.getValue().isNull()) {
					fields.put(field.getKey(), field.getValue().asText());
				}
			});
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot flatten box " + box.id(), ex);
		}
		return fields;
	}

	/** What an operator should do about an entrance's refusal. */
	private String refusal(ErrorReply error) {
		String said = "the entrance answered " + Objects.toString(error.errorCode(), "an error") + " "
				+ UntrustedText.quote(error.error());
		if (AuthException.Code.UNAUTHENTICATED.name().equals(error.errorCode())) {
			return said + ((!this.signer.hasCredential())
					? ": it needs a proof of a credential and CREDENTIAL is not set; ask its operator for a credential "
							+ "for " + this.request.id() + " (PUT /dandelion/api/v1/credentials/" + this.request.id()
							+ ")"
					: ": it does not hold the credential set in CREDENTIAL for " + this.request.id()
							+ " (not imported there, or issued again since)");
		}
		if (AuthException.Code.STALE_REQUEST.name().equals(error.errorCode())) {
			return said + ": this machine's clock is more than 60 s away from the entrance's, or a SEARCH was "
					+ "replayed; check both clocks (NTP)";
		}
		return said;
	}

	/**
	 * What one entrance answered.
	 *
	 * @param boxes the usable boxes, best first
	 * @param entranceUrls the entrances it told of
	 */
	record Listing(List<BoxCandidate> boxes, List<String> entranceUrls) {

	}

}
