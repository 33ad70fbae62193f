package io.dandelion.publisher.publish;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One entry of {@code {pub}:FILE:FILES_SENDING_QUEUE}, in the original
 * {@code FileManager.push} format: {@code {"FILE_PATH": "/abs/path", "TTL": 60, ...}}.
 * Extra keys are kept and travel in the frame header, as in the original.
 *
 * @param filePath the file's absolute local path, also its {@code FILE_PATH} on boxes
 * @param ttlSeconds how long boxes keep it; 0 keeps it until overwritten
 * @param extra the other keys, as JSON values
 * @param repair whether this task re-publishes a file a lost box held (new, internal key
 * {@code DANDELION_REPAIR}): existing live replicas are kept, and only the missing ones
 * sent
 */
public record PublishTask(String filePath, long ttlSeconds, Map<String, Object> extra, boolean repair) {

	/** The TTL the original {@code FileManager.push} defaulted to. */
	public static final long DEFAULT_TTL = 60;

	public static final String FILE_PATH = "FILE_PATH";

	public static final String TTL = "TTL";

	static final String REPAIR = "DANDELION_REPAIR";

	public PublishTask {
		extra = Map.copyOf(extra);
	}

	/**
	 * Reads a task.
	 * @param json the queue entry
	 * @param mapper the JSON mapper
	 * @return the task
	 * @throws IllegalArgumentException when the entry is not such a task
	 */
	static PublishTask read(String json, ObjectMapper mapper) {
		JsonNode node;
		try {
			node = mapper.readTree(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("not a JSON object");
		}
		JsonNode path = node.get(FILE_PATH);
		if (path == null || !path.isTextual() || path.asText().isEmpty()) {
			throw new IllegalArgumentException("FILE_PATH is missing");
		}
		long ttl = DEFAULT_TTL;
		JsonNode ttlNode = node.get(TTL);
		if (ttlNode != null && !ttlNode.isNull()) {
			try {
				ttl = ttlNode.isNumber() ? ttlNode.asLong() : Long.parseLong(ttlNode.asText().trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("TTL is not a whole number of seconds");
			}
			if (ttl < 0 || ttl > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("TTL is out of range");
			}
		}
		Map<String, Object> extra = new LinkedHashMap<>();
		node.fields().forEachRemaining((field) -> {
			String name = field.getKey();
			if (!name.equals(FILE_PATH) && !name.equals(TTL) && !name.equals(REPAIR) && !name.equals("SHA256")) {
				extra.put(name, mapper.convertValue(field.getValue(), Object.class));
			}
		});
		return new PublishTask(path.asText(), ttl, extra, node.path(REPAIR).asBoolean(false));
	}

	/**
	 * Writes the task as a queue entry.
	 * @param mapper the JSON mapper
	 * @return the JSON
	 */
	String write(ObjectMapper mapper) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put(FILE_PATH, this.filePath);
		json.put(TTL, this.ttlSeconds);
		json.putAll(this.extra);
		if (this.repair) {
			json.put(REPAIR, true);
		}
		try {
			return mapper.writeValueAsString(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
