package io.dandelion.protocol;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.text.UntrustedText;

/**
 * Turns JSON text messages into {@link Message} records and back. The one place that
 * decides which record a message is (from {@code COMMAND} and {@code TYPE}) and whether
 * it is well formed; anything else is refused with a {@link MessageFormatException}.
 * Thread-safe.
 */
public final class MessageCodec {

	/**
	 * The default limit on one text message, in chars; a SEARCH reply of 20 boxes is
	 * about 20 K.
	 */
	public static final int DEFAULT_MAX_MESSAGE_CHARS = 1024 * 1024;

	// The JDK's own logger, so that the wire module needs nothing but Jackson; Spring
	// Boot routes it to its logging.
	private static final System.Logger logger = System.getLogger(MessageCodec.class.getName());

	private final ObjectMapper mapper = JsonMapper.builder()
		.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// One object per message: "{…} x" is not JSON, and must not pass as its first
		// part
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final int maxMessageChars;

	public MessageCodec() {
		this(DEFAULT_MAX_MESSAGE_CHARS);
	}

	/**
	 * A codec refusing messages longer than the given number of chars.
	 * @param maxMessageChars the limit
	 */
	public MessageCodec(int maxMessageChars) {
		this.maxMessageChars = maxMessageChars;
	}

	/**
	 * Reads one message.
	 * @param text the JSON text of a WebSocket text frame
	 * @return the message
	 * @throws MessageFormatException when the text is not a well-formed message of this
	 * protocol
	 */
	public Message decode(String text) {
		if (text == null) {
			throw new MessageFormatException(Reason.INVALID_JSON, "Message is empty");
		}
		if (text.length() > this.maxMessageChars) {
			throw new MessageFormatException(Reason.TOO_LARGE,
					"Message of " + text.length() + " chars is over the limit of " + this.maxMessageChars);
		}
		JsonNode node;
		try {
			node = this.mapper.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new MessageFormatException(Reason.INVALID_JSON,
					"Message is not valid JSON: " + UntrustedText.quote(ex.getOriginalMessage()));
		}
		if (node == null || !node.isObject()) {
			throw new MessageFormatException(Reason.NOT_AN_OBJECT, "Message must be a JSON object");
		}
		return decode((ObjectNode) node);
	}

	private Message decode(ObjectNode node) {
		String command = Fields.text(node, "COMMAND");
		if (command == null && node.has("ERROR")) {
			return bind(node, ErrorReply.class);
		}
		if (Commands.STORED.equals(command)) {
			return bind(node, StoredAck.class);
		}
		if (Commands.EXCHANGE.equals(command) && isAnonymousEntranceReply(node)) {
			return bind(node, ExchangeReply.class);
		}
		Role role = checkSender(node);
		if (command == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, "COMMAND is missing");
		}
		return switch (command) {
			case Commands.EXCHANGE -> switch (role) {
				case BOX -> bind(node, ExchangeRequest.class);
				case ENTRANCE -> bind(node, ExchangeReply.class);
				default -> throw mismatch(command, role);
			};
			case Commands.SEARCH -> switch (role) {
				case PUBLISHER -> bind(node, SearchRequest.class);
				case ENTRANCE -> bind(dropBadBoxes(node), SearchReply.class);
				default -> throw mismatch(command, role);
			};
			case Commands.PUBLISH -> switch (role) {
				case PUBLISHER -> bind(node, PublishRequest.class);
				case BOX -> bind(node, PublishReply.class);
				default -> throw mismatch(command, role);
			};
			case Commands.REPORT -> switch (role) {
				case PUBLISHER -> bind(node, ReportRequest.class);
				case ENTRANCE -> bind(node, ReportReply.class);
				default -> throw mismatch(command, role);
			};
			default -> throw new MessageFormatException(Reason.UNKNOWN_COMMAND,
					"Unknown COMMAND " + UntrustedText.quote(command));
		};
	}

	/**
	 * An original entrance answers with its {@code OWN_INFO} hash, which is missing until
	 * its background task first ran (and for good when that task fails, e.g. with no
	 * {@code ENTRANCE_IP}): then its EXCHANGE reply has {@code MESSAGE} and
	 * {@code ENTRANCE_URLS} but no sender fields at all. A box must still count it.
	 */
	private static boolean isAnonymousEntranceReply(ObjectNode node) {
		return !node.has("ID") && !node.has("TYPE") && !node.has("IP") && node.has("MESSAGE");
	}

	/**
	 * Applies the original's rule (ID, IP, PORT, TYPE must be present and not falsy, PORT
	 * may be absent for a publisher) and checks that the ID belongs to the TYPE.
	 */
	private static Role checkSender(ObjectNode node) {
		String id = requireTruthy(node, "ID");
		requireTruthy(node, "IP");
		JsonNode type = node.get("TYPE");
		boolean publisher = type != null && Role.PUBLISHER.wireType().equals(type.asText());
		if (!publisher) {
			requireTruthy(node, "PORT");
		}
		// Whoever sends it, a PORT must be one (the records bind any integer)
		Fields.port(node, "PORT");
		Role role = Role.fromWireType(requireTruthy(node, "TYPE"));
		if (role == null) {
			throw new MessageFormatException(Reason.BAD_VALUE,
					"TYPE must be BOX, ENTRANCE or PUBLISHER, not " + UntrustedText.quote(node.get("TYPE").asText()));
		}
		if (!id.startsWith(role.idPrefix()) || !NodeId.isValid(id)) {
			throw new MessageFormatException(Reason.BAD_ID, "ID " + UntrustedText.quote(id) + " is not a "
					+ role.wireType() + " ID (" + role.idPrefix() + " followed by 32 lowercase hex digits)");
		}
		return role;
	}

	private static String requireTruthy(ObjectNode node, String name) {
		JsonNode value = node.get(name);
		if (value == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, name + " is missing");
		}
		boolean falsy = value.isNull() || (value.isTextual() && value.asText().isEmpty())
				|| (value.isNumber() && value.asDouble() == 0) || (value.isBoolean() && !value.asBoolean())
				|| (value.isContainerNode() && value.isEmpty());
		if (falsy) {
			throw new MessageFormatException(Reason.EMPTY_FIELD, name + " is empty");
		}
		if (!value.isValueNode()) {
			throw new MessageFormatException(Reason.BAD_VALUE, name + " must be a string");
		}
		return value.asText();
	}

	private static MessageFormatException mismatch(String command, Role role) {
		return new MessageFormatException(Reason.COMMAND_TYPE_MISMATCH,
				"COMMAND " + command + " may not come from TYPE " + role.wireType());
	}

	/**
	 * Drops box entries that do not read, so that one bad box does not cost the publisher
	 * the whole reply (the original aborted the rest of the reply there).
	 */
	private ObjectNode dropBadBoxes(ObjectNode node) {
		JsonNode boxes = node.get("BOX_SET");
		if (boxes == null || !boxes.isObject()) {
			return node;
		}
		Iterator<Map.Entry<String, JsonNode>> entries = boxes.fields();
		while (entries.hasNext()) {
			Map.Entry<String, JsonNode> entry = entries.next();
			try {
				this.mapper.treeToValue(entry.getValue(), ExchangeRequest.class);
			}
			catch (JsonProcessingException | MessageFormatException ex) {
				logger.log(System.Logger.Level.WARNING, "Dropped box {0} from a SEARCH reply: {1}",
						UntrustedText.quote(entry.getKey()), formatException(ex).getMessage());
				entries.remove();
			}
		}
		return node;
	}

	private <T extends Message> T bind(ObjectNode node, Class<T> type) {
		try {
			return this.mapper.treeToValue(node, type);
		}
		catch (JsonProcessingException | RuntimeException ex) {
			throw formatException(ex);
		}
	}

	/**
	 * The innermost field named on the path to a bad value: an array index names none.
	 */
	private static String fieldOf(JsonMappingException mapping) {
		for (int i = mapping.getPath().size() - 1; i >= 0; i--) {
			String field = mapping.getPath().get(i).getFieldName();
			if (field != null) {
				return field + ": ";
			}
		}
		return "";
	}

	private static MessageFormatException formatException(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof MessageFormatException format) {
				return format;
			}
		}
		String where = (ex instanceof JsonMappingException mapping) ? fieldOf(mapping) : "";
		String what = (ex instanceof JsonProcessingException processing) ? processing.getOriginalMessage()
				: ex.getMessage();
		return new MessageFormatException(Reason.BAD_VALUE,
				"Bad value for " + where + UntrustedText.quote(String.valueOf(what)));
	}

	/**
	 * The flat string fields of a box's exchange data, as stored in a Redis hash (the
	 * original's layout), without its traffic entries: a hash holds no nested values.
	 * @param exchange the box's exchange data
	 * @return field name to string value, in wire order
	 */
	public Map<String, String> toFields(ExchangeRequest exchange) {
		Map<String, String> fields = new LinkedHashMap<>();
		this.mapper.valueToTree(exchange.withTraffic(List.of())).fields().forEachRemaining((field) -> {
			fields.put(field.getKey(), field.getValue().asText());
		});
		return fields;
	}

	/**
	 * Reads a box's exchange data back from its flat string fields.
	 * @param fields field name to string value, e.g. from a Redis hash
	 * @return the exchange data
	 * @throws MessageFormatException when the fields do not form a box's exchange data
	 */
	public ExchangeRequest fromFields(Map<String, String> fields) {
		ObjectNode node = this.mapper.createObjectNode();
		fields.forEach(node::put);
		ExchangeRequest exchange = bind(node, ExchangeRequest.class);
		if (exchange == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, "No exchange fields");
		}
		return exchange;
	}

	/**
	 * Writes one message as JSON text, in the original's field order and value shapes.
	 * @param message the message
	 * @return the JSON text
	 */
	public String encode(Message message) {
		try {
			return this.mapper.writeValueAsString(message);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot encode " + message.getClass().getSimpleName(), ex);
		}
	}

}
