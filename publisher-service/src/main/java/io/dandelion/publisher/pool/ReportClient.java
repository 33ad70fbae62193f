package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.ReportReply;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.UntrustedText;
import io.dandelion.protocol.auth.AuthException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * Sends one REPORT to an entrance, as SEARCH goes: one connection, one request, one
 * reply. It is signed at the moment it goes out; a refusal as stale (a SEARCH signed
 * later overtook it) is tried once more with a fresh proof.
 */
@Component
class ReportClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WebSocketClient client;

	private final MessageCodec codec;

	private final RequestSigner signer;

	ReportClient(WebSocketClient client, MessageCodec codec, RequestSigner signer) {
		this.client = client;
		this.codec = codec;
		this.signer = signer;
	}

	/**
	 * Reports a box to one entrance.
	 * @param entrance the entrance's WebSocket URL
	 * @param report the report, without a proof
	 * @return the entrance's reply; {@link ReportRefusedException} when it answered an
	 * error reply, another error when it answered something else or nothing
	 */
	Mono<ReportReply> report(URI entrance, ReportRequest report) {
		return Mono.defer(() -> send(entrance, report))
			.retryWhen(Retry.max(1)
				.filter((ex) -> ex instanceof ReportRefusedException refused
						&& AuthException.Code.STALE_REQUEST.name().equals(refused.code())));
	}

	private Mono<ReportReply> send(URI entrance, ReportRequest report) {
		AtomicReference<String> reply = new AtomicReference<>();
		return this.client
			.execute(entrance,
					(session) -> session
						.send(Mono.fromSupplier(() -> session.textMessage(this.codec.encode(this.signer.sign(report)))))
						.thenMany(session.receive().map(WebSocketMessage::getPayloadAsText).take(1))
						.doOnNext(reply::set)
						.then())
			.timeout(TIMEOUT)
			.then(Mono.fromSupplier(reply::get))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("Entrance " + entrance + " did not answer")))
			.map(this::read);
	}

	private ReportReply read(String text) {
		Message message = this.codec.decode(text);
		if (message instanceof ErrorReply error) {
			throw new ReportRefusedException(error.errorCode(),
					"the entrance answered " + ((error.errorCode() != null) ? error.errorCode() + " " : "")
							+ UntrustedText.quote(error.error()));
		}
		if (!(message instanceof ReportReply reply)) {
			throw new IllegalStateException("the entrance answered " + message.getClass().getSimpleName());
		}
		return reply;
	}

	/**
	 * An entrance answered a REPORT with its error reply.
	 */
	static final class ReportRefusedException extends RuntimeException {

		private final String code;

		ReportRefusedException(String code, String message) {
			super(message, null, false, false);
			this.code = code;
		}

		/**
		 * The reply's {@code ERROR_CODE}.
		 * @return the code, {@code null} when the entrance gave none
		 */
		String code() {
			return this.code;
		}

	}

}
