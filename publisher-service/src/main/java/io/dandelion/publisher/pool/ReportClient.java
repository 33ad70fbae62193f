package io.dandelion.publisher.pool;

import java.net.URI;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.ReportReply;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.auth.AuthException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

/**
 * Sends one REPORT to an entrance, as SEARCH goes: one connection, one request, one
 * reply. It is signed at the moment it goes out; a refusal as stale (a SEARCH signed
 * later overtook it) is tried once more with a fresh proof.
 */
@Component
class ReportClient {

	private final EntranceRequest entrances;

	private final RequestSigner signer;

	ReportClient(EntranceRequest entrances, RequestSigner signer) {
		this.entrances = entrances;
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
		return this.entrances.send(entrance, () -> this.signer.sign(report)).map(this::read);
	}

	private ReportReply read(Message message) {
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
