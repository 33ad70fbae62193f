package io.dandelion.publisher.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dandelion.publisher.publish.PublishTask;

import org.springframework.web.server.ServerWebInputException;

/**
 * What {@code POST /api/v1/files} takes: a task in the original {@code FileManager.push}
 * format, {@code {"FILE_PATH": "/abs/path", "TTL": 60, ...}}.
 *
 * @param filePath the local file ({@code FILE_PATH}), an absolute path below an allowed
 * root; checked by {@link FileService}
 * @param ttl how long boxes keep it ({@code TTL}); {@code null} when not given
 * @param extra every other key, as JSON values: they travel to the boxes in the frame
 * header, as in the original, but for the keys the publisher keeps to itself
 */
record QueueRequest(@JsonProperty(PublishTask.FILE_PATH) String filePath, @JsonProperty(PublishTask.TTL) Ttl ttl,
		@JsonAnySetter Map<String, Object> extra) {

	QueueRequest {
		extra = (extra != null) ? extra : new LinkedHashMap<>();
	}

	/**
	 * The TTL asked for.
	 * @return in seconds; the original's 60 when not given
	 */
	long ttlSeconds() {
		return (this.ttl != null) ? this.ttl.seconds() : PublishTask.DEFAULT_TTL;
	}

	/**
	 * The extra keys that travel with the file.
	 * @return the keys that are not the publisher's own
	 */
	Map<String, Object> extraKeys() {
		Map<String, Object> keys = new LinkedHashMap<>(this.extra);
		keys.keySet().removeIf(PublishTask::isReserved);
		return keys;
	}

	/**
	 * Says what is wrong with a body that does not bind, in the words of the check that
	 * refused it.
	 * @param ex why the body was not read
	 * @return a 400 naming the key at fault; the exception itself when no key is (not
	 * JSON, not an object, no body, too large)
	 */
	static Throwable refusal(ServerWebInputException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
				String key = mapping.getPath().get(0).getFieldName();
				if (PublishTask.TTL.equals(key)) {
					return new InvalidFileException(reason(mapping, Ttl.WHOLE_SECONDS));
				}
				if (PublishTask.FILE_PATH.equals(key)) {
					return new InvalidFileException("FILE_PATH must be a local file's absolute path, as a string");
				}
			}
		}
		return ex;
	}

	private static String reason(Throwable ex, String otherwise) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException refused) {
				return refused.getMessage();
			}
		}
		return otherwise;
	}

	/**
	 * A TTL as the original's producers write it: a whole number of seconds, or a string
	 * of up to ten digits.
	 *
	 * @param seconds the TTL; 0 keeps the file until overwritten
	 */
	record Ttl(long seconds) {

		static final String WHOLE_SECONDS = "TTL must be a whole number of seconds";

		Ttl {
			if (seconds < 0 || seconds > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("TTL must be between 0 and " + Integer.MAX_VALUE);
			}
		}

		/**
		 * Reads a TTL.
		 * @param value the JSON value
		 * @return the TTL
		 * @throws IllegalArgumentException when it is not a whole number of seconds in
		 * range
		 */
		@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
		static Ttl of(JsonNode value) {
			if (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
				return new Ttl(value.longValue());
			}
			if (value.isTextual() && value.textValue().trim().matches("\\d{1,10}")) {
				return new Ttl(Long.parseLong(value.textValue().trim()));
			}
			throw new IllegalArgumentException(WHOLE_SECONDS);
		}

	}

}
