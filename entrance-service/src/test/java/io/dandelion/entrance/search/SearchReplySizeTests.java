package io.dandelion.entrance.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxDataLimits;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One box's heartbeat can not make SEARCH replies too large for publishers to read: a
 * heartbeat carrying more than the entrance stores is refused, and a reply that would
 * still be over a publisher's 1 MiB message limit (many boxes, or data stored before the
 * limits) leaves boxes out until it fits.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.amount-of-boxes-per-request=500", "entrance.max-boxes-per-network=500",
				"entrance.registration.max-live-boxes-per-network=500" })
@WithTestRedis
class SearchReplySizeTests {

	/** What the attack of issue 11 sent: a 900 KB field the protocol does not define. */
	private static final int HUGE_FIELD_CHARS = 900_000;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private BoxRepository boxes;

	private TestCredentials credentials;

	@BeforeEach
	void issueCredentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@AfterEach
	void removeKeys() {
		entrance.deleteKeys();
	}

	@Test
	void shouldRefuseHeartbeatsWithAHugeFieldAndKeepSearchRepliesReadable() {
		List<String> ordinary = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ExchangeRequest box = box("127.0.2." + (10 + i));
			assertThat(heartbeat(box)).isInstanceOf(ExchangeReply.class);
			ordinary.add(box.id());
		}
		List<String> oversized = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ExchangeRequest box = box("127.0.3." + (10 + i)).withExtra(Map.of("PADDING", "x".repeat(HUGE_FIELD_CHARS)));
			Message reply = heartbeat(box);
			assertThat(reply).isInstanceOf(ErrorReply.class);
			assertThat(((ErrorReply) reply).errorCode()).isEqualTo("TOO_LARGE");
			assertThat(((ErrorReply) reply).error()).contains("PADDING");
			oversized.add(box.id());
		}

		String reply = searchText(500);
		assertThat(reply.length()).isLessThanOrEqualTo(MessageCodec.DEFAULT_MAX_MESSAGE_CHARS);
		SearchReply search = (SearchReply) this.codec.decode(reply);
		assertThat(search.boxSet().keySet()).containsExactlyInAnyOrderElementsOf(ordinary)
			.doesNotContainAnyElementsOf(oversized);
	}

	@Test
	void shouldFitAReplyOfManyBoxesWithTheLargestFieldsAllowed() {
		int count = 160;
		List<String> registered = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ExchangeRequest box = largestAllowed(box("127.0." + (2 + i / 100) + "." + (10 + i % 100)));
			Message reply = heartbeat(box);
			assertThat(reply).as("heartbeat %d of the largest allowed size: %s", i, reply)
				.isInstanceOf(ExchangeReply.class);
			registered.add(box.id());
		}

		String reply = searchText(count);
		assertThat(reply.length()).isLessThanOrEqualTo(MessageCodec.DEFAULT_MAX_MESSAGE_CHARS);
		SearchReply search = (SearchReply) this.codec.decode(reply);
		// More than fit: some were left out, the lowest ranked, and the rest are intact
		assertThat(search.boxSet()).hasSizeLessThan(count).hasSizeGreaterThan(count / 2);
		assertThat(registered).containsAll(search.boxSet().keySet());
		List<ExchangeRequest> listed = new ArrayList<>(search.boxSet().values());
		for (int i = 1; i < listed.size(); i++) {
			assertThat(listed.get(i).rankScore()).isLessThanOrEqualTo(listed.get(i - 1).rankScore());
		}
		assertThat(listed).allSatisfy((box) -> assertThat(box.extra()).hasSizeGreaterThan(10));
	}

	@Test
	void shouldLeaveOutBoxesThatDoNotFitWhenOversizedDataWasStoredBefore() {
		List<String> ordinary = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ExchangeRequest box = box("127.0.2." + (10 + i));
			assertThat(heartbeat(box)).isInstanceOf(ExchangeReply.class);
			ordinary.add(box.id());
		}
		// As an entrance without the limits stored them
		for (int i = 0; i < 3; i++) {
			ExchangeRequest box = box("127.0.3." + (10 + i)).withExtra(Map.of("PADDING", "x".repeat(HUGE_FIELD_CHARS)));
			assertThat(
					this.boxes.save(box, Instant.now(), Duration.ofMinutes(2), box.ip()).block(Duration.ofSeconds(10)))
				.isNotNull();
		}

		String reply = searchText(500);
		assertThat(reply.length()).isLessThanOrEqualTo(MessageCodec.DEFAULT_MAX_MESSAGE_CHARS);
		SearchReply search = (SearchReply) this.codec.decode(reply);
		assertThat(search.boxSet().keySet()).containsAll(ordinary).hasSizeLessThanOrEqualTo(ordinary.size() + 1);
	}

	private static ExchangeRequest box(String ip) {
		String id = NodeId.random(Role.BOX).value();
		return ExchangeRequest
			.of(id, ip, 7070, "http://" + ip + ":7070/dandelion/" + id + "/ws/",
					new BoxMetrics(1200.0, 4, 5.0, 5.0, 0.0, 90.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 1_000_000L, 500_000L,
							100.0, 50.0, 20.0, 0L, null, null, null, null))
			.withDataPort(7072);
	}

	/**
	 * The box with fields the protocol does not define up to the limits: names and values
	 * as long as allowed, as many as fit in what one box may store (less a margin for the
	 * entrance's GeoIP fields).
	 */
	private ExchangeRequest largestAllowed(ExchangeRequest box) {
		int fieldChars = BoxDataLimits.MAX_EXTRA_NAME_CHARS + BoxDataLimits.MAX_EXTRA_VALUE_CHARS;
		int room = BoxDataLimits.MAX_BOX_CHARS - 400 - size(this.codec.toFields(box));
		Map<String, String> extra = new LinkedHashMap<>();
		for (int i = 0; i < BoxDataLimits.MAX_EXTRA_FIELDS && room >= fieldChars; i++) {
			String name = String.format("X-FIELD-%02d-", i);
			extra.put(name + "N".repeat(BoxDataLimits.MAX_EXTRA_NAME_CHARS - name.length()),
					"v".repeat(BoxDataLimits.MAX_EXTRA_VALUE_CHARS));
			room -= fieldChars;
		}
		return box.withExtra(extra);
	}

	private static int size(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.mapToInt((field) -> field.getKey().length() + field.getValue().length())
			.sum();
	}

	private Message heartbeat(ExchangeRequest box) {
		return this.codec
			.decode(new EntranceTestClient(this.port, null).request(this.codec.encode(this.credentials.sign(box))));
	}

	private String searchText(int amount) {
		SearchRequest request = this.credentials
			.sign(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, amount));
		return new EntranceTestClient(this.port, null).request(this.codec.encode(request));
	}

}
