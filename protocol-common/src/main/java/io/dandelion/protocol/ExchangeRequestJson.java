package io.dandelion.protocol;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.text.UntrustedText;

/**
 * The wire form of {@link ExchangeRequest}: a flat JSON object of strings, with traffic
 * entries as extra top-level fields named by their Redis key. Strings become numbers here
 * and nowhere else.
 */
final class ExchangeRequestJson {

	static final String GEOIP_PREFIX = "GEOIP-";

	private static final Set<String> HEADER_FIELDS = Set.of("ID", "IP", "PORT", "TYPE", "COMMAND", "CONNECT_WS",
			"DATA_PORT", "DATA_SCHEME", "RANK_SCORE", "RANK_REASONS");

	private static final List<String> GEOIP_FIELDS = List.of("IP", "HOSTNAME", "COUNTRY", "CITY", "REGION", "ORG",
			"LOC");

	/**
	 * The metric components with their wire names, resolved once: reading an accessor's
	 * annotation parses it anew each time (a component hands out a fresh {@code Method}),
	 * and the entrance writes every heartbeat it stores.
	 */
	private static final List<Metric> METRICS = metrics();

	/** Wire names of the metric fields, in the order the original wrote them. */
	static final Set<String> METRIC_FIELDS = metricFields();

	/** Wire names of the metrics held as whole numbers (counts, bytes, KiB). */
	private static final Set<String> WHOLE_METRIC_FIELDS = wholeMetricFields();

	private static final Pattern REASON_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

	private ExchangeRequestJson() {
	}

	private static Set<String> metricFields() {
		Set<String> names = new LinkedHashSet<>();
		METRICS.forEach((metric) -> names.add(metric.name()));
		return Collections.unmodifiableSet(names);
	}

	private static List<Metric> metrics() {
		List<Metric> metrics = new ArrayList<>();
		for (RecordComponent component : BoxMetrics.class.getRecordComponents()) {
			metrics.add(new Metric(metricName(component), component.getAccessor()));
		}
		return List.copyOf(metrics);
	}

	private static Set<String> wholeMetricFields() {
		Set<String> names = new LinkedHashSet<>();
		for (RecordComponent component : BoxMetrics.class.getRecordComponents()) {
			if (component.getType() == Long.class || component.getType() == Integer.class) {
				names.add(metricName(component));
			}
		}
		return Collections.unmodifiableSet(names);
	}

	private static String metricName(RecordComponent component) {
		return component.getAccessor().getAnnotation(JsonProperty.class).value();
	}

	/**
	 * A metric of {@link BoxMetrics}.
	 *
	 * @param name its wire name
	 * @param accessor the record's accessor of it
	 */
	private record Metric(String name, Method accessor) {

		Object read(BoxMetrics metrics) {
			try {
				return this.accessor.invoke(metrics);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Cannot read metric " + this.name, ex);
			}
		}

	}

	static String formatReasons(Map<String, Double> reasons) {
		StringJoiner joined = new StringJoiner(",");
		reasons.forEach((name, value) -> joined.add(name + "=" + formatNumber(value)));
		return joined.toString();
	}

	/**
	 * Whole numbers without the ".0" Java would add, as the original's peers wrote them.
	 */
	static String formatNumber(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return Double.toString(value);
	}

	static boolean isKnownField(String name) {
		return HEADER_FIELDS.contains(name) || METRIC_FIELDS.contains(name) || name.startsWith(GEOIP_PREFIX)
				|| name.contains(TrafficEntry.KEY_MARKER);
	}

	/** Writes an {@link ExchangeRequest} in the original's flat string form. */
	static final class Writer extends StdSerializer<ExchangeRequest> {

		Writer() {
			super(ExchangeRequest.class);
		}

		@Override
		public void serialize(ExchangeRequest request, JsonGenerator json, SerializerProvider provider)
				throws IOException {
			json.writeStartObject();
			json.writeStringField("ID", request.id());
			writeIfPresent(json, "IP", request.ip());
			writeIfPresent(json, "PORT", request.port());
			json.writeStringField("TYPE", Role.BOX.wireType());
			json.writeStringField("COMMAND", Commands.EXCHANGE);
			writeIfPresent(json, "CONNECT_WS", request.connectWs());
			writeIfPresent(json, "DATA_PORT", request.dataPort());
			writeIfPresent(json, "DATA_SCHEME", request.dataScheme());
			for (Metric metric : METRICS) {
				writeIfPresent(json, metric.name(), metric.read(request.metrics()));
			}
			writeGeoip(json, request.geoip());
			writeIfPresent(json, "RANK_SCORE", request.rankScore());
			if (!request.rankReasons().isEmpty()) {
				json.writeStringField("RANK_REASONS", formatReasons(request.rankReasons()));
			}
			for (Map.Entry<String, String> field : request.extra().entrySet()) {
				// A known name in extra would produce a duplicate key, which strict
				// readers refuse.
				if (!isKnownField(field.getKey())) {
					json.writeStringField(field.getKey(), field.getValue());
				}
			}
			for (TrafficEntry entry : request.traffic()) {
				json.writeObjectFieldStart(entry.wireKey(request.id()));
				json.writeStringField("url", entry.url());
				json.writeStringField("status", Integer.toString(entry.status()));
				json.writeStringField("size", Long.toString(entry.size()));
				writeIfPresent(json, "datetime", entry.datetime());
				json.writeEndObject();
			}
			json.writeEndObject();
		}

		private static void writeGeoip(JsonGenerator json, GeoLocation geoip) throws IOException {
			if (geoip == null) {
				return;
			}
			writeIfPresent(json, GEOIP_PREFIX + "IP", geoip.ip());
			writeIfPresent(json, GEOIP_PREFIX + "HOSTNAME", geoip.hostname());
			writeIfPresent(json, GEOIP_PREFIX + "COUNTRY", geoip.country());
			writeIfPresent(json, GEOIP_PREFIX + "CITY", geoip.city());
			writeIfPresent(json, GEOIP_PREFIX + "REGION", geoip.region());
			writeIfPresent(json, GEOIP_PREFIX + "ORG", geoip.org());
			if (geoip.hasCoordinates()) {
				json.writeStringField(GEOIP_PREFIX + "LOC",
						formatNumber(geoip.latitude()) + "," + formatNumber(geoip.longitude()));
			}
		}

		private static void writeIfPresent(JsonGenerator json, String name, Object value) throws IOException {
			if (value != null) {
				json.writeStringField(name, (value instanceof Double number) ? formatNumber(number) : value.toString());
			}
		}

	}

	/**
	 * Reads an {@link ExchangeRequest} from the flat form, accepting numbers where
	 * strings are expected.
	 */
	static final class Reader extends StdDeserializer<ExchangeRequest> {

		Reader() {
			super(ExchangeRequest.class);
		}

		@Override
		public ExchangeRequest deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			JsonNode node = context.readTree(parser);
			if (!node.isObject()) {
				throw new MessageFormatException(Reason.NOT_AN_OBJECT, "box data must be a JSON object");
			}
			if (node.isEmpty()) {
				// The original entrance sent {} for a box whose data it had lost.
				return null;
			}
			String id = Fields.text(node, "ID");
			if (id == null || id.isEmpty()) {
				throw new MessageFormatException(Reason.MISSING_FIELD, "box data without ID");
			}
			return new ExchangeRequest(id, Fields.text(node, "IP"), Fields.port(node, "PORT"),
					Fields.text(node, "CONNECT_WS"), Fields.port(node, "DATA_PORT"), readDataScheme(node),
					readMetrics(node, context), readGeoip(node), Fields.decimal(node, "RANK_SCORE"),
					readReasons(Fields.text(node, "RANK_REASONS")), readTraffic(node), readExtra(node));
		}

		private static String readDataScheme(JsonNode node) {
			String text = Fields.text(node, "DATA_SCHEME");
			if (text == null || text.isEmpty()) {
				return null;
			}
			String scheme = text.toLowerCase(Locale.ROOT);
			if (!scheme.equals(ExchangeRequest.PLAIN_DATA) && !scheme.equals(ExchangeRequest.TLS_DATA)) {
				throw new MessageFormatException(Reason.BAD_VALUE,
						"DATA_SCHEME must be http or https, not " + UntrustedText.quote(text));
			}
			return scheme;
		}

		private static BoxMetrics readMetrics(JsonNode node, DeserializationContext context) throws IOException {
			ObjectNode metrics = JsonNodeFactory.instance.objectNode();
			for (String name : METRIC_FIELDS) {
				String text = Fields.text(node, name);
				if (text != null && !text.isEmpty()) {
					// Checked here so that NaN and Infinity, which Jackson would accept,
					// never reach ranking. Whole-number figures may come as decimals
					// (the original's memory figures are top's "24105.3"): rounded.
					Fields.parseFinite(name, text);
					metrics.put(name,
							WHOLE_METRIC_FIELDS.contains(name) ? Long.toString(Fields.parseRounded(name, text)) : text);
				}
			}
			try {
				return context.readTreeAsValue(metrics, BoxMetrics.class);
			}
			catch (JsonProcessingException ex) {
				throw new MessageFormatException(Reason.BAD_VALUE, "Bad metric value: " + ex.getOriginalMessage());
			}
		}

		private static GeoLocation readGeoip(JsonNode node) {
			Map<String, String> parts = new LinkedHashMap<>();
			for (String part : GEOIP_FIELDS) {
				String text = Fields.text(node, GEOIP_PREFIX + part);
				if (text != null && !text.isEmpty()) {
					parts.put(part, text);
				}
			}
			if (parts.isEmpty()) {
				return null;
			}
			Double latitude = null;
			Double longitude = null;
			String location = parts.get("LOC");
			if (location != null) {
				String[] halves = location.split(",", -1);
				if (halves.length != 2) {
					throw new MessageFormatException(Reason.BAD_VALUE,
							"GEOIP-LOC must be 'latitude,longitude', not " + UntrustedText.quote(location));
				}
				latitude = Fields.parseFinite("GEOIP-LOC", halves[0].trim());
				longitude = Fields.parseFinite("GEOIP-LOC", halves[1].trim());
			}
			try {
				return new GeoLocation(parts.get("IP"), parts.get("HOSTNAME"), parts.get("COUNTRY"), parts.get("CITY"),
						parts.get("REGION"), parts.get("ORG"), latitude, longitude);
			}
			catch (IllegalArgumentException ex) {
				throw new MessageFormatException(Reason.BAD_VALUE, "GEOIP-LOC: " + ex.getMessage());
			}
		}

		private static Map<String, Double> readReasons(String text) {
			if (text == null || text.isEmpty()) {
				return Map.of();
			}
			Map<String, Double> reasons = new LinkedHashMap<>();
			for (String part : text.split(",")) {
				String[] nameAndValue = part.split("=", 2);
				if (nameAndValue.length != 2 || !REASON_NAME.matcher(nameAndValue[0].trim()).matches()) {
					throw new MessageFormatException(Reason.BAD_VALUE,
							"RANK_REASONS must be 'name=number,...', not " + UntrustedText.quote(text));
				}
				reasons.put(nameAndValue[0].trim(), Fields.parseFinite("RANK_REASONS", nameAndValue[1].trim()));
			}
			return reasons;
		}

		private static List<TrafficEntry> readTraffic(JsonNode node) {
			List<TrafficEntry> entries = new ArrayList<>();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				int marker = field.getKey().indexOf(TrafficEntry.KEY_MARKER);
				if (marker >= 0) {
					entries.add(readTrafficEntry(field.getKey().substring(marker + TrafficEntry.KEY_MARKER.length()),
							field.getValue()));
				}
			}
			return entries;
		}

		private static TrafficEntry readTrafficEntry(String logId, JsonNode value) {
			if (!value.isObject()) {
				throw new MessageFormatException(Reason.BAD_VALUE,
						"traffic entry " + UntrustedText.quote(logId) + " must be an object of url, status and size");
			}
			String url = Fields.text(value, "url");
			if (url == null) {
				throw new MessageFormatException(Reason.MISSING_FIELD,
						"traffic entry " + UntrustedText.quote(logId) + " has no url");
			}
			try {
				return new TrafficEntry(logId, url, Fields.parseInt("status", Fields.text(value, "status")),
						Fields.parseLong("size", Fields.text(value, "size")), Fields.text(value, "datetime"));
			}
			catch (IllegalArgumentException ex) {
				throw new MessageFormatException(Reason.BAD_VALUE,
						"traffic entry " + UntrustedText.quote(logId) + ": " + ex.getMessage());
			}
		}

		private static Map<String, String> readExtra(JsonNode node) {
			Map<String, String> extra = new LinkedHashMap<>();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				if (!isKnownField(field.getKey()) && field.getValue().isValueNode() && !field.getValue().isNull()) {
					extra.put(field.getKey(), field.getValue().asText());
				}
			}
			return extra;
		}

	}

}
