package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * Sends one SEARCH to an entrance, the original's way: one connection, one request, one
 * reply.
 */
@Component
class SearchClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WebSocketClient client;

	private final MessageCodec codec;

	private final ObjectMapper mapper;

	private final SearchRequest request;

	SearchClient(WebSocketClient client, MessageCodec codec, ObjectMapper mapper, NodeId nodeId,
			PublisherAddress address) {
		this.client = client;
		this.codec = codec;
		this.mapper = mapper;
		this.request = new SearchRequest(nodeId.value(), address.ip(), null, null);
	}

	/**
	 * Asks one entrance for boxes.
	 * @param entrance the entrance's WebSocket URL
	 * @return the reply; an error when the entrance answered something else or nothing
	 */
	Mono<Listing> search(URI entrance) {
		AtomicReference<String> reply = new AtomicReference<>();
		return this.client
			.execute(entrance,
					(session) -> session.send(Mono.just(session.textMessage(this.codec.encode(this.request))))
						.thenMany(session.receive().map(WebSocketMessage::getPayloadAsText).take(1))
						.doOnNext(reply::set)
						.then())
			.timeout(TIMEOUT)
			.then(Mono.fromSupplier(reply::get))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("Entrance " + entrance + " did not answer")))
			.map(this::read);
	}

	private Listing read(String text) {
		Message message = this.codec.decode(text);
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

	/**
	 * What one entrance answered.
	 *
	 * @param boxes the usable boxes, best first
	 * @param entranceUrls the entrances it told of
	 */
	record Listing(List<BoxCandidate> boxes, List<String> entranceUrls) {

	}

}
