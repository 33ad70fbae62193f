package io.dandelion.agent.publish;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.agent.store.FileStore;
import io.dandelion.agent.store.FileWrite;
import io.dandelion.agent.store.RefusalReason;
import io.dandelion.agent.store.StoreRefusedException;
import io.dandelion.agent.store.WriteQueue;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.PublishReply;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.StoredAck;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.frame.FileFrameCodec;
import io.dandelion.protocol.frame.FileFrameException;
import io.dandelion.protocol.frame.FileFrameHeader;
import io.dandelion.protocol.frame.FileFramePrefix;
import io.dandelion.protocol.store.PathRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * What the box does with a publisher's messages: accepts PUBLISH, hands file frames to
 * the store's {@link WriteQueue} (which stores each and records its TTL as one step), and
 * answers each with a reply. A PUBLISH without a valid publish ticket
 * ({@link PublishTickets}) is refused before anything is recorded, and ends the
 * connection. Blocking file work runs on the store scheduler.
 */
@Component
class PublishService {

	private static final Logger logger = LoggerFactory.getLogger(PublishService.class);

	private final MessageCodec codec;

	private final FileFrameCodec frameCodec;

	private final FileStore store;

	private final WriteQueue writes;

	private final PublisherRepository publishers;

	private final PublishTickets tickets;

	private final BoxAddress address;

	private final ObjectMapper objectMapper;

	private final Scheduler scheduler;

	private final AgentMetrics metrics;

	PublishService(FileStore store, WriteQueue writes, PublisherRepository publishers, PublishTickets tickets,
			BoxAddress address, MessageCodec codec, ObjectMapper objectMapper, Scheduler storeScheduler,
			BoxProperties properties, AgentMetrics metrics) {
		this.metrics = metrics;
		this.store = store;
		this.writes = writes;
		this.publishers = publishers;
		this.tickets = tickets;
		this.address = address;
		this.codec = codec;
		this.objectMapper = objectMapper;
		this.scheduler = storeScheduler;
		this.frameCodec = new FileFrameCodec(FileFrameCodec.DEFAULT_MAX_HEADER_BYTES,
				properties.store().maxFrameSize().toBytes());
	}

	/**
	 * Answers a text message: PUBLISH from a publisher is accepted, anything else gets an
	 * error reply and the connection stays open.
	 * @param session the connection
	 * @param text the message
	 * @return the reply
	 */
	Mono<Message> onText(PublishSession session, String text) {
		Message message;
		try {
			message = this.codec.decode(text);
		}
		catch (MessageFormatException ex) {
			logger.debug("Session {} sent a malformed message: {}", session.sessionId(), ex.getMessage());
			return Mono.just(this.address.error(ErrorReply.WRONG_FORMAT + ": " + ex.getMessage(), ex.reason().name()));
		}
		if (message instanceof PublishRequest request) {
			return publish(session, request);
		}
		return Mono.just(this.address.error(
				ErrorReply.WRONG_FORMAT + ": a box takes only PUBLISH from a PUBLISHER, then file frames",
				MessageFormatException.Reason.UNKNOWN_COMMAND.name()));
	}

	private Mono<Message> publish(PublishSession session, PublishRequest request) {
		PublishTicket ticket;
		try {
			ticket = this.tickets.check(request);
		}
		catch (AuthException ex) {
			// Nothing recorded, and whatever the connection still carries is dropped
			session.closeWith(new CloseStatus(CloseCodes.NOT_ACCEPTED, ex.code().name()));
			logger.warn("Session {} refused publisher {}: {} {}", session.sessionId(),
					UntrustedText.quote(request.id()), ex.code(), ex.getMessage());
			return Mono.just(this.address.error(ex.getMessage(), ex.code().name()));
		}
		String permission = (ticket != null) ? " with a ticket of " + ticket.entranceId()
				: " without a ticket (SECURITY_MODE compatible)";
		return Mono.fromCallable(() -> this.store.createPublisherDirectory(request.id()))
			.subscribeOn(this.scheduler)
			.then(this.publishers.save(request.id(), fields(request)))
			.then(Mono.fromSupplier(() -> {
				session.accept(request.id());
				logger.info("Session {} accepted publisher {}{}", session.sessionId(), request.id(), permission);
				return (Message) new PublishReply(this.address.id(), this.address.ip(), this.address.port(),
						Commands.ACCEPTED);
			}))
			.onErrorResume((ex) -> {
				logger.warn("Session {} could not accept publisher {}: {}", session.sessionId(), request.id(),
						ex.toString());
				return Mono.just(
						this.address.error("The box cannot accept publishers now: " + ex.getMessage(), "UNAVAILABLE"));
			});
	}

	/**
	 * Stores one file frame, read as it arrives, and answers with a STORED reply. A frame
	 * before PUBLISH is a protocol violation: the reply is sent and the connection
	 * closed.
	 * @param session the connection
	 * @param frame the frame's bytes, header first, as they arrive; closed here
	 * @return the reply, once the whole frame was read and written
	 */
	Mono<Message> onFrame(PublishSession session, FrameContent frame) {
		String publisherId = session.publisherId();
		if (publisherId == null) {
			frame.close();
			session.closeWith(new CloseStatus(CloseCodes.PROTOCOL_VIOLATION, "File frame before PUBLISH"));
			this.metrics.frameRefused(RefusalReason.PROTOCOL_VIOLATION.name());
			return Mono.just(StoredAck.refused(this.address.id(), null, RefusalReason.PROTOCOL_VIOLATION.name(),
					"A file frame came before PUBLISH"));
		}
		// The frame's FILE_PATH, for the reply, once its header is read
		AtomicReference<String> filePath = new AtomicReference<>();
		// Handed over to the store's write queue: once the write starts, it stores the
		// file and records its expiry whatever happens to this connection
		return this.writes.store(() -> open(publisherId, frame, filePath), frame::close).map((stored) -> {
			this.metrics.fileStored(stored.size());
			return (Message) StoredAck.stored(this.address.id(), filePath.get(), stored.size(), stored.sha256());
		}).onErrorResume(FrameRefusedException.class, (ex) -> {
			this.metrics.frameRefused(ex.code);
			logger.debug("Session {} frame {} refused: {}", session.sessionId(), ex.filePath, ex.getMessage());
			return Mono.just(StoredAck.refused(this.address.id(), ex.filePath, ex.code, ex.getMessage()));
		}).onErrorResume(StoreRefusedException.class, (ex) -> {
			this.metrics.frameRefused(ex.reason().name());
			if (ex.reason() == RefusalReason.WRITE_FAILED) {
				logger.warn("Session {} writing {} failed: {}", session.sessionId(), filePath.get(), ex.getMessage());
			}
			else {
				logger.debug("Session {} frame {} refused: {}", session.sessionId(), filePath.get(), ex.getMessage());
			}
			return Mono.just(StoredAck.refused(this.address.id(), filePath.get(), ex.reason().name(), ex.getMessage()));
		}).onErrorResume((ex) -> {
			logger.warn("Session {} frame failed", session.sessionId(), ex);
			this.metrics.frameRefused(RefusalReason.WRITE_FAILED.name());
			return Mono.just(StoredAck.refused(this.address.id(), null, RefusalReason.WRITE_FAILED.name(),
					"The box could not store the file"));
		});
	}

	/**
	 * The longest binary message the box takes, header included.
	 * @return {@code box.store.max-frame-size} in bytes
	 */
	long maxFrameBytes() {
		return this.frameCodec.maxContentBytes();
	}

	/**
	 * The reply to a file frame over the box's limits, before the connection closes;
	 * counted as refused.
	 * @return a refused STORED reply
	 */
	Message frameTooLarge() {
		this.metrics.frameRefused(RefusalReason.TOO_LARGE.name());
		return tooLarge("A file frame");
	}

	/**
	 * The reply to a message over the box's limits, before the connection closes.
	 * @param what the message, as a sentence's subject
	 * @return a refused STORED reply
	 */
	Message tooLarge(String what) {
		return StoredAck.refused(this.address.id(), null, RefusalReason.TOO_LARGE.name(),
				what + " is over the box's limit of " + maxFrameBytes() + " bytes");
	}

	/**
	 * Reads and decodes the header and confines the path: the file to write, which reads
	 * the rest of the frame as it arrives. Runs on the store scheduler, as the write
	 * queue's first step; the write queue closes the frame when it is refused.
	 */
	private FileWrite open(String publisherId, FrameContent frame, AtomicReference<String> named) throws IOException {
		String filePath = null;
		try {
			// The header ends within this many bytes, or the frame is refused
			byte[] prefix = frame.readNBytes(this.frameCodec.maxPrefixBytes());
			FileFramePrefix decoded = this.frameCodec.decodeHeader(ByteBuffer.wrap(prefix));
			FileFrameHeader header = decoded.header();
			filePath = header.filePath();
			named.set(filePath);
			Path target = this.store.resolve(publisherId, filePath);
			InputStream content = new SequenceInputStream(
					new ByteArrayInputStream(prefix, decoded.contentOffset(), prefix.length - decoded.contentOffset()),
					frame);
			return new FileWrite(target, FileWrite.UNKNOWN_LENGTH, content, header.sha256(), header.ttl(),
					frame::close);
		}
		catch (FileFrameException ex) {
			String code = (ex.reason() == FileFrameException.Reason.CONTENT_TOO_LARGE) ? RefusalReason.TOO_LARGE.name()
					: ex.reason().name();
			throw new FrameRefusedException(filePath, code, ex.getMessage());
		}
		catch (PathRefusedException ex) {
			throw new FrameRefusedException(filePath, RefusalReason.PATH_REFUSED.name(), ex.getMessage());
		}
	}

	/**
	 * The PUBLISH message's fields as strings, in wire order, for the Redis hash; not its
	 * ticket, a permission of minutes that nothing reads later.
	 */
	private Map<String, String> fields(PublishRequest request) {
		try {
			JsonNode node = this.objectMapper
				.readTree(this.codec.encode(new PublishRequest(request.id(), request.ip(), request.port())));
			Map<String, String> fields = new LinkedHashMap<>();
			node.fields().forEachRemaining((field) -> fields.put(field.getKey(), field.getValue().asText()));
			return fields;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot read back an encoded PUBLISH", ex);
		}
	}

	/**
	 * A refused frame, with what the STORED reply says.
	 */
	private static final class FrameRefusedException extends RuntimeException {

		private final String filePath;

		private final String code;

		FrameRefusedException(String filePath, String code, String message) {
			super(message, null, false, false);
			this.filePath = filePath;
			this.code = code;
		}

	}

}
