package io.dandelion.protocol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.dandelion.protocol.MessageFormatException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class MessageCodecTests {

	private static final String BOX_ID = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	private static final String PUBLISHER_ID = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	private static final ObjectMapper json = new ObjectMapper();

	private final MessageCodec codec = new MessageCodec();

	static Stream<Arguments> fixtures() {
		return Stream.of(Arguments.of("exchange-request.json", ExchangeRequest.class),
				Arguments.of("exchange-response.json", ExchangeReply.class),
				Arguments.of("search-request.json", SearchRequest.class),
				Arguments.of("search-response.json", SearchReply.class),
				Arguments.of("publish-request.json", PublishRequest.class),
				Arguments.of("publish-response.json", PublishReply.class),
				Arguments.of("error-response.json", ErrorReply.class));
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void shouldDecodeEveryWireFixture(String fixture, Class<? extends Message> type) {
		assertThat(this.codec.decode(WireFixtures.text(fixture))).isInstanceOf(type);
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void shouldDecodeWhatItEncodesAsTheSameRecord(String fixture, Class<? extends Message> type) {
		Message message = this.codec.decode(WireFixtures.text(fixture));
		assertThat(this.codec.decode(this.codec.encode(message))).isEqualTo(message);
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void shouldEncodeFixturesWithTheOriginalFieldsAndValueShapes(String fixture, Class<? extends Message> type)
			throws Exception {
		JsonNode original = json.readTree(WireFixtures.text(fixture));
		JsonNode ours = json.readTree(this.codec.encode(this.codec.decode(WireFixtures.text(fixture))));
		assertSameShape(original, ours, fixture);
	}

	/**
	 * Same field names, same JSON types, equal strings or numerically equal numeric
	 * strings.
	 */
	private static void assertSameShape(JsonNode original, JsonNode ours, String where) {
		assertThat(ours.getNodeType()).as(where).isEqualTo(original.getNodeType());
		if (original.isObject()) {
			assertThat(fieldNames(ours)).as(where).containsExactlyInAnyOrderElementsOf(fieldNames(original));
			original.fields()
				.forEachRemaining((field) -> assertSameShape(field.getValue(), ours.get(field.getKey()),
						where + "/" + field.getKey()));
		}
		else if (original.isArray()) {
			assertThat(ours.size()).as(where).isEqualTo(original.size());
			for (int i = 0; i < original.size(); i++) {
				assertSameShape(original.get(i), ours.get(i), where + "[" + i + "]");
			}
		}
		else if (original.isTextual() && original.asText().matches("-?\\d+(\\.\\d+)?")) {
			assertThat(Double.parseDouble(ours.asText())).as(where).isEqualTo(Double.parseDouble(original.asText()));
		}
		else {
			assertThat(ours).as(where).isEqualTo(original);
		}
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

	@Test
	void shouldParseExchangeStringsIntoTypedValues() {
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode(WireFixtures.text("exchange-request.json"));
		assertThat(exchange.id()).isEqualTo(BOX_ID);
		assertThat(exchange.ip()).isEqualTo("203.0.113.7");
		assertThat(exchange.port()).isEqualTo(7070);
		assertThat(exchange.connectWs()).isEqualTo("https://203.0.113.7:7070/dandelion/" + BOX_ID + "/ws/");
		assertThat(exchange.metrics().cpuMhz()).isEqualTo(1200.0);
		assertThat(exchange.metrics().cpuCount()).isEqualTo(4);
		assertThat(exchange.metrics().cpuIdle()).isEqualTo(98.4, within(1e-9));
		assertThat(exchange.metrics().loadAverage15()).isEqualTo(0.05, within(1e-9));
		assertThat(exchange.metrics().memoryTotalKib()).isEqualTo(947732L);
		assertThat(exchange.metrics().memoryAvailableKib()).isEqualTo(512000L);
		assertThat(exchange.metrics().diskAvailableGib()).isEqualTo(9.13, within(1e-9));
		assertThat(exchange.metrics().uplinkMbps()).isNull();
		assertThat(exchange.traffic()).containsExactly(new TrafficEntry("log-6e0f2b1c9d8a4e7f8a9b0c1d2e3f4a5b",
				"/publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/hls/output/alice_src/3.ts", 200, 812345, null));
		assertThat(exchange.extra()).isEmpty();
	}

	/**
	 * What an original box sends on a current Debian: its procps-ng {@code top} prints
	 * memory in MiB with one decimal, and the box copies the digits; every field is text.
	 */
	@Test
	void shouldAcceptDecimalFiguresWhereTheOriginalSendsThemForWholeNumbers() {
		String original = "{\"ID\":\"" + BOX_ID + "\",\"IP\":\"127.0.0.1\",\"PORT\":\"7070\",\"TYPE\":\"BOX\","
				+ "\"COMMAND\":\"EXCHANGE\",\"CONNECT_WS\":\"https://127.0.0.1:7070/dandelion/" + BOX_ID + "/ws/\","
				+ "\"CPU-HZ\":\"0\",\"CPU-NUM\":\"2\",\"CPU-USR\":\"4.5\",\"CPU-SYS\":\"0.0\",\"CPU-NIC\":\"0.0\","
				+ "\"CPU-IDLE\":\"95.5\",\"CPU-IO\":\"0.0\",\"CPU-IRQ\":\"0.0\",\"CPU-SIRQ\":\"0.0\","
				+ "\"LOADAVG-1\":\"0.52\",\"LOADAVG-5\":\"0.61\",\"LOADAVG-15\":\"0.70\",\"MEM-TOTAL\":\"24105.3\","
				+ "\"MEM-AVAIL\":\"3120.8\",\"DISK-TOTAL\":\"251.92\",\"DISK-AVAIL\":\"62.04\"," + "\"" + BOX_ID
				+ ":TRAFFIC_FLOW:log-6e0f2b1c9d8a4e7f8a9b0c1d2e3f4a5b\":"
				+ "{\"url\":\"/a.ts\",\"status\":\"200.0\",\"size\":\"812345\"}}";
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode(original);
		assertThat(exchange.metrics().memoryTotalKib()).isEqualTo(24105L);
		assertThat(exchange.metrics().memoryAvailableKib()).isEqualTo(3121L);
		assertThat(exchange.metrics().cpuCount()).isEqualTo(2);
		assertThat(exchange.traffic()).singleElement().satisfies((entry) -> assertThat(entry.status()).isEqualTo(200));
		assertThat(this.codec.decode("{\"ID\":\"" + BOX_ID + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"7070.0\","
				+ "\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}"))
			.isInstanceOf(ExchangeRequest.class);
	}

	/**
	 * Captured from the original's entrance run with {@code ENTRANCE_IP} empty: its
	 * background task never wrote {@code OWN_INFO}, so every reply lacks the sender.
	 */
	@Test
	void shouldReadAnOriginalEntrancesReplyThatCarriesNoSender() {
		ExchangeReply reply = (ExchangeReply) this.codec
			.decode("{\"ENTRANCE_URLS\": [\"https://None:17112/dandelion/ws/\"], \"MESSAGE\": \"ACCEPTED\","
					+ " \"COMMAND\": \"EXCHANGE\"}");
		assertThat(reply.accepted()).isTrue();
		assertThat(reply.id()).isNull();
		assertThat(reply.entranceUrls()).containsExactly("https://None:17112/dandelion/ws/");
		// A box's EXCHANGE still needs its sender
		assertThatExceptionOfType(MessageFormatException.class)
			.isThrownBy(() -> this.codec.decode("{\"COMMAND\": \"EXCHANGE\", \"CPU-IDLE\": \"9\"}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "7070.5", "1e3", "0x1F", "7070.0.0" })
	void shouldRefuseAPortThatIsNoWholeNumber(String port) {
		String text = "{\"ID\":\"" + BOX_ID + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"" + port
				+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}";
		assertThatExceptionOfType(MessageFormatException.class).isThrownBy(() -> this.codec.decode(text));
	}

	@Test
	void shouldReadTheSearchReplyBoxesInOrder() {
		SearchReply reply = (SearchReply) this.codec.decode(WireFixtures.text("search-response.json"));
		assertThat(reply.port()).isEqualTo(7070);
		assertThat(reply.boxSet()).containsOnlyKeys(BOX_ID, "box-77aa88bb99cc4dd0ee11ff2233445566");
		assertThat(reply.boxSet().keySet()).first().isEqualTo(BOX_ID);
		assertThat(reply.boxSet().get(BOX_ID).metrics().cpuIdle()).isEqualTo(98.4, within(1e-9));
		assertThat(reply.entranceUrls()).isEmpty();
	}

	@Test
	void shouldReadRepliesOfTheOriginal() {
		ExchangeReply exchange = (ExchangeReply) this.codec.decode(WireFixtures.text("exchange-response.json"));
		assertThat(exchange.accepted()).isTrue();
		assertThat(exchange.port()).isEqualTo(7070);
		assertThat(exchange.entranceUrls()).containsExactly("https://198.51.100.1:7070/dandelion/ws/",
				"https://198.51.100.2:7070/dandelion/ws/");
		assertThat(exchange.yourIp()).isNull();
		PublishReply publish = (PublishReply) this.codec.decode(WireFixtures.text("publish-response.json"));
		assertThat(publish.accepted()).isTrue();
		assertThat(publish.port()).isEqualTo(7070);
		ErrorReply error = (ErrorReply) this.codec.decode(WireFixtures.text("error-response.json"));
		assertThat(error.error()).startsWith(ErrorReply.WRONG_FORMAT);
		assertThat(error.type()).isEqualTo("BOX");
	}

	@Test
	void shouldKeepUnknownScalarFieldsAndIgnoreUnknownStructures() throws Exception {
		ObjectNode node = (ObjectNode) json.readTree(WireFixtures.text("exchange-request.json"));
		node.put("SOME_NEW_FIELD", "new");
		node.put("A_NUMBER", 42);
		node.putObject("NESTED").put("x", 1);
		node.putArray("LIST").add(1);
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode(node.toString());
		assertThat(exchange.extra()).containsExactly(Map.entry("SOME_NEW_FIELD", "new"), Map.entry("A_NUMBER", "42"));
		ObjectNode publish = (ObjectNode) json.readTree(WireFixtures.text("publish-request.json"));
		publish.put("TICKET", "future credential");
		publish.putObject("ANYTHING").put("y", true);
		assertThat(this.codec.decode(publish.toString()))
			.isEqualTo(new PublishRequest(PUBLISHER_ID, "198.51.100.20", null));
	}

	@Test
	void shouldWriteNewExchangeFieldsAsFlatStrings() throws Exception {
		ExchangeRequest exchange = ExchangeRequest
			.of(BOX_ID, "127.0.2.10", 7072, "ws://127.0.2.10:7071/dandelion/" + BOX_ID + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072)
			.withDataScheme(ExchangeRequest.TLS_DATA)
			.withGeoip(new GeoLocation("127.0.2.10", null, "JP", "Tokyo", null, null, 35.6762, 139.6503))
			.withRank(0.8125, Map.of("distance", 0.5))
			.withTraffic(List.of(new TrafficEntry("log-1", "/a.ts", 200, 10, "25/Nov/2026:10:00:00 +0000")));
		JsonNode written = json.readTree(this.codec.encode(exchange));
		Iterator<Map.Entry<String, JsonNode>> fields = written.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (!field.getKey().contains(TrafficEntry.KEY_MARKER)) {
				assertThat(field.getValue().isTextual()).as(field.getKey()).isTrue();
			}
		}
		assertThat(written.get("DATA_SCHEME").asText()).isEqualTo("https");
		assertThat(written.get("GEOIP-LOC").asText()).isEqualTo("35.6762,139.6503");
		assertThat(written.get("RANK_SCORE").asText()).isEqualTo("0.8125");
		assertThat(written.get("RANK_REASONS").asText()).isEqualTo("distance=0.5");
		assertThat(written.get(BOX_ID + ":TRAFFIC_FLOW:log-1").get("size").asText()).isEqualTo("10");
		assertThat(this.codec.decode(written.toString())).isEqualTo(exchange);
	}

	@Test
	void shouldDropUnreadableBoxesFromASearchReply() throws Exception {
		ObjectNode reply = (ObjectNode) json.readTree(WireFixtures.text("search-response.json"));
		ObjectNode boxes = (ObjectNode) reply.get("BOX_SET");
		boxes.putObject("box-00000000000000000000000000000000");
		boxes.putObject("box-11111111111111111111111111111111")
			.put("ID", "box-11111111111111111111111111111111")
			.put("CPU-IDLE", "lots");
		SearchReply decoded = (SearchReply) this.codec.decode(reply.toString());
		assertThat(decoded.boxSet()).containsOnlyKeys(BOX_ID, "box-77aa88bb99cc4dd0ee11ff2233445566");
	}

	@Test
	void shouldAcceptAStoredAck() {
		StoredAck ack = StoredAck.stored(BOX_ID, "/a/b.ts", 4096, "ab".repeat(32));
		String text = this.codec.encode(ack);
		assertThat(text).isEqualTo("{\"ID\":\"" + BOX_ID
				+ "\",\"COMMAND\":\"STORED\",\"FILE_PATH\":\"/a/b.ts\",\"SIZE\":4096,\"SHA256\":\"" + "ab".repeat(32)
				+ "\"}");
		assertThat(this.codec.decode(text)).isEqualTo(ack);
		StoredAck refused = StoredAck.refused(BOX_ID, "/a/b.ts", "QUOTA_EXCEEDED", "over quota");
		assertThat(((StoredAck) this.codec.decode(this.codec.encode(refused))).isStored()).isFalse();
	}

	@Test
	void shouldCarryAnAudienceInASearchAndLeaveItOutWhenThereIsNone() {
		SearchRequest search = new SearchRequest(PUBLISHER_ID, "198.51.100.20", null, null)
			.withAudience(List.of(new AudienceShare(50.5, 8.5, 0.667), new AudienceShare(40.5, -74.5, 0.333)));
		String text = this.codec.encode(search);
		assertThat(text).endsWith(",\"AUDIENCE\":[{\"LAT\":50.5,\"LON\":8.5,\"SHARE\":0.667},"
				+ "{\"LAT\":40.5,\"LON\":-74.5,\"SHARE\":0.333}]}");
		assertThat(this.codec.decode(text)).isEqualTo(search);
		assertThat(this.codec.encode(search.withAudience(List.of()))).doesNotContain("AUDIENCE");
	}

	@Test
	void shouldAllowAPublisherWithoutPort() {
		assertThat(this.codec.decode(WireFixtures.text("search-request.json"))).isInstanceOf(SearchRequest.class);
	}

	static Stream<Arguments> malformed() {
		String publish = "\"ID\":\"" + PUBLISHER_ID + "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"PUBLISH\"";
		return Stream.of(Arguments.of("not json", Reason.INVALID_JSON), Arguments.of("[1,2]", Reason.NOT_AN_OBJECT),
				Arguments.of("\"text\"", Reason.NOT_AN_OBJECT), Arguments.of("", Reason.NOT_AN_OBJECT),
				Arguments.of("{" + publish + "}", Reason.MISSING_FIELD),
				Arguments.of("{\"IP\":null," + publish + "}", Reason.EMPTY_FIELD),
				Arguments.of("{\"IP\":\"\"," + publish + "}", Reason.EMPTY_FIELD),
				Arguments.of("{\"IP\":0," + publish + "}", Reason.EMPTY_FIELD),
				Arguments.of("{\"IP\":{\"a\":1}," + publish + "}", Reason.BAD_VALUE),
				Arguments.of("{\"ID\":\"" + PUBLISHER_ID + "\",\"IP\":\"1.2.3.4\",\"COMMAND\":\"PUBLISH\"}",
						Reason.MISSING_FIELD),
				Arguments.of("{\"ID\":\"" + PUBLISHER_ID + "\",\"IP\":\"1.2.3.4\",\"TYPE\":\"PUBLISHER\"}",
						Reason.MISSING_FIELD),
				Arguments.of("{\"ID\":\"" + BOX_ID + "\",\"IP\":\"1.2.3.4\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}",
						Reason.MISSING_FIELD),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"ID\":\"publisher-x\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"PUBLISH\"}",
						Reason.BAD_ID),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"ID\":\"" + BOX_ID + "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"PUBLISH\"}",
						Reason.BAD_ID),
				Arguments.of("{\"IP\":\"1.2.3.4\"," + publish.replace("PUBLISH\"", "DELETE\"") + "}",
						Reason.UNKNOWN_COMMAND),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"ID\":\"" + BOX_ID
						+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"SEARCH\"}", Reason.COMMAND_TYPE_MISMATCH),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"ID\":\"" + BOX_ID
						+ "\",\"TYPE\":\"ROBOT\",\"COMMAND\":\"EXCHANGE\"}", Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":\"99999\",\"ID\":\"" + BOX_ID
						+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"CPU-IDLE\":\"NaN\"}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"DATA_PORT\":\"x\"}",
						Reason.BAD_VALUE),
				// Numbers as Python writes them, not what else Double.parseDouble takes
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"CPU-IDLE\":\"0x1p3\"}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"CPU-IDLE\":\"98d\"}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"CPU-IDLE\":\"Infinity\"}",
						Reason.BAD_VALUE),
				// An audience in range, and not too long
				Arguments.of("{\"IP\":\"1.2.3.4\",\"ID\":\"" + PUBLISHER_ID
						+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"AUDIENCE\":[{\"LAT\":91,\"LON\":0,\"SHARE\":1}]}",
						Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"ID\":\"" + PUBLISHER_ID
						+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"AUDIENCE\":[{\"LAT\":1,\"LON\":0,\"SHARE\":0}]}",
						Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"ID\":\"" + PUBLISHER_ID
						+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"AUDIENCE\":" + "["
						+ "{\"LAT\":1,\"LON\":0,\"SHARE\":0.01},".repeat(32) + "{\"LAT\":1,\"LON\":0,\"SHARE\":0.01}]}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"ID\":\"" + PUBLISHER_ID
								+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"AUDIENCE\":\"Frankfurt\"}",
						Reason.BAD_VALUE),
				// PORT is a port whoever sends it
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":\"70000\",\"ID\":\"" + PUBLISHER_ID
						+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\"}", Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":-1,\"ID\":\"" + PUBLISHER_ID
						+ "\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"REPORT\"}", Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"DATA_SCHEME\":\"ftp\"}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"MEM-TOTAL\":\"24105.3 MiB\"}",
						Reason.BAD_VALUE),
				Arguments.of(
						"{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
								+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"x:TRAFFIC_FLOW:log-1\":\"flat\"}",
						Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\"" + BOX_ID
						+ "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"x:TRAFFIC_FLOW:../x\":{\"url\":\"/a\",\"status\":\"200\",\"size\":\"1\"}}",
						Reason.BAD_VALUE),
				Arguments.of("{\"IP\":\"1.2.3.4\",\"IP\":\"5.6.7.8\"," + publish + "}", Reason.INVALID_JSON),
				// One object per message: what follows it is not ignored (the original's
				// json.loads refused "Extra data" too)
				Arguments.of("{\"IP\":\"1.2.3.4\"," + publish + "} x", Reason.INVALID_JSON),
				Arguments.of("{\"IP\":\"1.2.3.4\"," + publish + "}{}", Reason.INVALID_JSON),
				Arguments.of("{\"IP\":\"1.2.3.4\"," + publish + "},", Reason.INVALID_JSON));
	}

	@ParameterizedTest
	@ValueSource(strings = { "98.4", "1e-05", "1.5E+16", "-0.5", ".5", "7.", " 98.4 " })
	void shouldReadFiguresAsPythonWritesThem(String figure) {
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode("{\"IP\":\"1.2.3.4\",\"PORT\":\"7070\",\"ID\":\""
				+ BOX_ID + "\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"CPU-IDLE\":\"" + figure + "\"}");
		assertThat(exchange.metrics().cpuIdle()).isEqualTo(Double.parseDouble(figure));
	}

	@ParameterizedTest
	@MethodSource("malformed")
	void shouldRefuseMalformedMessagesWithAReason(String text, Reason reason) {
		assertThatExceptionOfType(MessageFormatException.class).isThrownBy(() -> this.codec.decode(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason))
			.satisfies((ex) -> assertThat(ex.getMessage()).isNotBlank());
	}

	@Test
	void shouldRefuseAMessageOverTheLimit() {
		MessageCodec small = new MessageCodec(100);
		String text = WireFixtures.text("exchange-request.json");
		assertThatExceptionOfType(MessageFormatException.class).isThrownBy(() -> small.decode(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"ERROR\":\"nope\"}", "{\"COMMAND\":\"STORED\",\"FILE_PATH\":\"/x\",\"ERROR\":\"e\"}" })
	void shouldReadRepliesThatCarryNoSenderInfo(String text) {
		assertThat(this.codec.decode(text)).isNotNull();
	}

	@Test
	void shouldWriteAnErrorReplyWithoutCommand() throws Exception {
		ErrorReply reply = new ErrorReply(BOX_ID, "127.0.0.1", 7071, "BOX", ErrorReply.WRONG_FORMAT + ": ID is missing",
				Reason.MISSING_FIELD.name(), null);
		JsonNode written = json.readTree(this.codec.encode(reply));
		assertThat(written.has("COMMAND")).isFalse();
		assertThat(written.get("PORT").isNumber()).isTrue();
		assertThat(written.get("ERROR_CODE").asText()).isEqualTo("MISSING_FIELD");
		assertThat(written.has("ENTRANCE_URLS")).isFalse();
	}

	@Test
	void shouldFlattenExchangeDataIntoStringFieldsAndBack() {
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode(WireFixtures.text("exchange-request.json"));
		Map<String, String> fields = this.codec.toFields(exchange);
		assertThat(fields).containsEntry("ID", BOX_ID)
			.containsEntry("PORT", "7070")
			.containsEntry("CPU-IDLE", "98.4")
			.containsEntry("TYPE", "BOX")
			.containsEntry("COMMAND", "EXCHANGE");
		assertThat(fields.keySet()).noneMatch((name) -> name.contains(TrafficEntry.KEY_MARKER));
		assertThat(this.codec.fromFields(fields)).isEqualTo(exchange.withTraffic(List.of()));
	}

	@Test
	void shouldRefuseFieldsThatAreNoExchange() {
		assertThatExceptionOfType(MessageFormatException.class).isThrownBy(() -> this.codec.fromFields(Map.of()));
		assertThatExceptionOfType(MessageFormatException.class)
			.isThrownBy(() -> this.codec.fromFields(Map.of("ID", BOX_ID, "CPU-IDLE", "much")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_VALUE));
	}

}
