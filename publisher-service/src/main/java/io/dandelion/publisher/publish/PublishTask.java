package io.dandelion.publisher.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One entry of {@code {pub}:FILE:FILES_SENDING_QUEUE}, in the original
 * {@code FileManager.push} format: {@code {"FILE_PATH": "/abs/path", "TTL": 60, ...}}.
 * Extra keys are kept and travel in the frame header, as in the original. The publisher's
 * own tasks (uploads, live segments, repairs) add internal keys that no box sees:
 * {@code DANDELION_NAME}, {@code DANDELION_LOCAL_PATH} and {@code DANDELION_REPAIR}.
 *
 * @param filePath the {@code FILE_PATH} as pushed: the key of
 * {@code {pub}:FILE:PROCESSED_FILES:{FILE_PATH}}. The original's producers push the
 * file's absolute local path; the publisher's own tasks push its public name
 * @param name the file's public name ({@code DANDELION_NAME}), its {@code FILE_PATH} on
 * boxes; {@code null} when the task names its file by local path only, and the publisher
 * derives the name ({@link PublicNames#ofLocalFile})
 * @param localPath the local file to read ({@code DANDELION_LOCAL_PATH}); the
 * {@code FILE_PATH} when not given
 * @param ttlSeconds how long boxes keep it; 0 keeps it until overwritten
 * @param extra the other keys, as JSON values
 * @param repair whether this task re-publishes a file a lost box held (new, internal key
 * {@code DANDELION_REPAIR}): existing live replicas are kept, and only the missing ones
 * sent
 */
public record PublishTask(String filePath, String name, String localPath, long ttlSeconds, Map<String, Object> extra,
		boolean repair) {

	/** The TTL the original {@code FileManager.push} defaulted to. */
	public static final long DEFAULT_TTL = 60;

	public static final String FILE_PATH = "FILE_PATH";

	public static final String TTL = "TTL";

	static final String NAME = "DANDELION_NAME";

	static final String LOCAL_PATH = "DANDELION_LOCAL_PATH";

	static final String REPAIR = "DANDELION_REPAIR";

	/** Keys the publisher keeps to itself: never extras, never in a frame. */
	private static final String INTERNAL_PREFIX = "DANDELION_";

	public PublishTask {
		Objects.requireNonNull(filePath, "filePath");
		localPath = (localPath != null) ? localPath : filePath;
		extra = Map.copyOf(extra);
	}

	/**
	 * A task for a file the publisher names itself (an upload, a live segment): pushed
	 * under its public name.
	 * @param name the public name
	 * @param localPath the local file
	 * @param ttlSeconds the TTL
	 * @return the task
	 */
	public static PublishTask named(String name, String localPath, long ttlSeconds) {
		return new PublishTask(name, name, localPath, ttlSeconds, Map.of(), false);
	}

	/**
	 * Whether a key of a pushed task is the publisher's own rather than an extra.
	 * @param key the key
	 * @return {@code true} for {@code FILE_PATH}, {@code TTL}, {@code SHA256} (the
	 * publisher computes it) and the internal keys
	 */
	public static boolean isReserved(String key) {
		return key.equals(FILE_PATH) || key.equals(TTL) || key.equals("SHA256") || key.startsWith(INTERNAL_PREFIX);
	}

	/**
	 * This task with its public name and its local file.
	 * @param publicName the name
	 * @param localFile the local file, in the one spelling the name's binding compares
	 * @return the task
	 */
	PublishTask withName(String publicName, String localFile) {
		return new PublishTask(this.filePath, publicName, localFile, this.ttlSeconds, this.extra, this.repair);
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
			if (!isReserved(name)) {
				extra.put(name, mapper.convertValue(field.getValue(), Object.class));
			}
		});
		return new PublishTask(path.asText(), text(node, NAME), text(node, LOCAL_PATH), ttl, extra,
				node.path(REPAIR).asBoolean(false));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isTextual() && !value.asText().isEmpty()) ? value.asText() : null;
	}

	/**
	 * Writes the task as a queue entry.
	 * @param mapper the JSON mapper
	 * @return the JSON
	 */
	public String write(ObjectMapper mapper) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put(FILE_PATH, this.filePath);
		json.put(TTL, this.ttlSeconds);
		json.putAll(this.extra);
		if (this.name != null) {
			json.put(NAME, this.name);
		}
		if (!this.localPath.equals(this.filePath)) {
			json.put(LOCAL_PATH, this.localPath);
		}
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
