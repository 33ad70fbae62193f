package io.dandelion.entrance.session;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.federation.OwnInfo;
import io.dandelion.entrance.metrics.EntranceMetrics;
import io.dandelion.entrance.metrics.EntranceMetrics.Command;
import io.dandelion.entrance.peer.Peer;
import io.dandelion.entrance.registry.ExchangeService;
import io.dandelion.entrance.registry.RegistrationRefusedException;
import io.dandelion.entrance.report.ReportService;
import io.dandelion.entrance.search.SearchService;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.limits.WarningThrottle;
import io.dandelion.support.failure.RedisUnavailable;

/**
 * The one place where the entrance decides what to do with a text message: decode and
 * validate it, send EXCHANGE to the registry, SEARCH to the search and REPORT to the
 * reports, and turn anything else into an {@code ERROR} reply. A request refused for its
 * proof is answered with the {@code ERROR_CODE} of {@link AuthException.Code}, one
 * refused for a field the codec does not check with that of
 * {@link MessageFormatException.Reason} ({@code TOO_LARGE} for a heartbeat over the
 * {@link io.dandelion.entrance.registry.BoxDataLimits}), a heartbeat over a registration
 * limit with that of {@link RegistrationRefusedException.Code}. Never fails: a failure of
 * Redis becomes an error reply too, so that the box resends its traffic next time.
 */
@Component
public class EntranceRequests {

	private static final Logger logger = LoggerFactory.getLogger(EntranceRequests.class);

	/**
	 * {@code ERROR_CODE} of a request the entrance could not serve for a reason of its
	 * own.
	 */
	static final String UNAVAILABLE = "UNAVAILABLE";

	private static final String UNAVAILABLE_ERROR = "The entrance could not serve this request now; try again";

	private final MessageCodec codec;

	private final ExchangeService exchanges;

	private final SearchService searches;

	private final ReportService reports;

	private final EntranceDirectory directory;

	private final EntranceMetrics metrics;

	private final WarningThrottle<String> limitWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	private final WarningThrottle<String> redisWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	public EntranceRequests(MessageCodec codec, ExchangeService exchanges, SearchService searches,
			ReportService reports, EntranceDirectory directory, EntranceMetrics metrics) {
		this.codec = codec;
		this.exchanges = exchanges;
		this.searches = searches;
		this.reports = reports;
		this.directory = directory;
		this.metrics = metrics;
	}

	/**
	 * Answers one text message.
	 * @param text the message as received
	 * @param peer who sent it
	 * @return the reply
	 */
	public Mono<Message> handle(String text, Peer peer) {
		Message message;
		try {
			message = this.codec.decode(text);
		}
		catch (MessageFormatException ex) {
			logger.debug("Refused a message from {}: {} {}", peer.address(), ex.reason(), ex.getMessage());
			return refuse(null, ex.reason().name(), ErrorReply.WRONG_FORMAT + ": " + ex.getMessage());
		}
		Mono<? extends Message> reply;
		String senderId;
		Command command;
		if (message instanceof ExchangeRequest exchange) {
			reply = this.exchanges.accept(exchange, peer);
			senderId = exchange.id();
			command = Command.EXCHANGE;
		}
		else if (message instanceof SearchRequest search) {
			reply = this.searches.search(search, peer);
			senderId = search.id();
			command = Command.SEARCH;
		}
		else if (message instanceof ReportRequest report) {
			reply = this.reports.report(report, peer);
			senderId = report.id();
			command = Command.REPORT;
		}
		else {
			return refuse(null, Reason.COMMAND_TYPE_MISMATCH.name(),
					ErrorReply.WRONG_FORMAT
							+ ": an entrance answers EXCHANGE from boxes and SEARCH and REPORT from publishers, not "
							+ message.getClass().getSimpleName());
		}
		// Counted here, before an error becomes a reply: the refusals are counted with
		// their code as they are built
		return reply.cast(Message.class).doOnNext((answered) -> this.metrics.answered(command)).onErrorResume((ex) -> {
			if (ex instanceof AuthException refused) {
				logger.info("Refused {} from {} at {}: {} {}", message.getClass().getSimpleName(), senderId,
						peer.address(), refused.code(), refused.getMessage());
				return refuse(command, refused.code().name(), refused.getMessage());
			}
			if (ex instanceof RegistrationRefusedException limited) {
				warnOverALimit(message, senderId, peer, limited.code(), limited.getMessage());
				return refuse(command, limited.code().name(), limited.getMessage());
			}
			if (ex instanceof MessageFormatException format) {
				// Over a size limit is a broken or hostile sender,
				// which its operator should hear of
				boolean warned = format.reason() == Reason.TOO_LARGE
						&& warnOverALimit(message, senderId, peer, format.reason(), format.getMessage());
				if (!warned) {
					logger.debug("Refused {} from {} at {}: {} {}", message.getClass().getSimpleName(), senderId,
							peer.address(), format.reason(), format.getMessage());
				}
				return refuse(command, format.reason().name(), ErrorReply.WRONG_FORMAT + ": " + format.getMessage());
			}
			if (RedisUnavailable.isCause(ex)) {
				if (this.redisWarnings.isDue(UNAVAILABLE)) {
					logger.warn("Could not serve {} from {} while Redis is unavailable (said once a minute): {}",
							message.getClass().getSimpleName(), peer.address(), ex.toString());
				}
				// Not from Redis either: the other entrances'
				// URLs would wait for it again
				return Mono
					.just(errorReply(command, UNAVAILABLE, UNAVAILABLE_ERROR, List.of(this.directory.ownInfo().url())));
			}
			logger.warn("Could not serve {} from {}: {}", message.getClass().getSimpleName(), peer.address(),
					ex.toString());
			return refuse(command, UNAVAILABLE, UNAVAILABLE_ERROR);
		});
	}

	/**
	 * Warns of a request refused for going over a limit, once a minute per sender: a
	 * broken or hostile sender its operator should hear of, without a line per message.
	 * @return whether it warned now
	 */
	private boolean warnOverALimit(Message message, String senderId, Peer peer, Object code, String why) {
		if (!this.limitWarnings.isDue(senderId)) {
			return false;
		}
		logger.warn("Refused {} from {} at {}: {} {} (said once a minute per sender)",
				message.getClass().getSimpleName(), senderId, peer.address(), code, why);
		return true;
	}

	/**
	 * Answers a binary frame: requests are JSON text, so it is refused as text that is
	 * not JSON would be, and the session goes on.
	 * @param bytes the frame's size
	 * @param peer who sent it
	 * @return the error reply
	 */
	public Mono<Message> refuseBinary(int bytes, Peer peer) {
		logger.debug("Refused a binary frame of {} bytes from {}", bytes, peer.address());
		return refuse(null, Reason.INVALID_JSON.name(), ErrorReply.WRONG_FORMAT
				+ ": the entrance reads JSON text frames, not a binary frame (" + bytes + " bytes)");
	}

	/**
	 * The error reply, counted for the command when it is known ({@code null} for a
	 * message that could not be read as one).
	 */
	private Mono<Message> refuse(Command command, String code, String error) {
		return this.directory.entranceUrls().onErrorResume((ex) -> {
			// DEBUG: while Redis is down this is every refusal,
			// and the lost connection is warned of where it is watched
			logger.debug("Error reply with this entrance's URL alone, the others' did not read: {}", ex.toString());
			return Mono.just(List.of(this.directory.ownInfo().url()));
		}).map((urls) -> errorReply(command, code, error, urls));
	}

	private Message errorReply(Command command, String code, String error, List<String> entranceUrls) {
		this.metrics.rejected(code);
		if (command != null) {
			this.metrics.refused(command, code);
		}
		OwnInfo own = this.directory.ownInfo();
		return new ErrorReply(own.id(), own.ip(), own.port(), Role.ENTRANCE.wireType(), error, code, entranceUrls);
	}

}
