package io.dandelion.entrance.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SEARCH over a real WebSocket: 30 boxes in six loopback "cities" (the test GeoIP
 * database places 127.0.x.0/24 in Taoyuan, Taipei, Tokyo, Frankfurt, New York and Sao
 * Paulo), equal but for where they are.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.amount-of-boxes-per-request=20", "entrance.max-boxes-per-network=5" })
@WithTestRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTests {

	private static final int CITIES = 6;

	private static final int BOXES_PER_CITY = 5;

	private final MessageCodec codec = new MessageCodec();

	private final List<String> boxIds = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	private TestCredentials credentials;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@BeforeAll
	void registerBoxes() {
		this.credentials = new TestCredentials(this.keys);
		EntranceTestClient client = new EntranceTestClient(this.port, null);
		for (int city = 0; city < CITIES; city++) {
			for (int box = 0; box < BOXES_PER_CITY; box++) {
				String boxId = NodeId.random(Role.BOX).value();
				String ip = "127.0." + city + "." + (10 + box);
				ExchangeRequest exchange = ExchangeRequest.of(boxId, ip, 7072,
						"ws://" + ip + ":7071/dandelion/" + boxId + "/ws/",
						new BoxMetrics(1200.0, 4, 5.0, 5.0, 0.0, 90.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 1_000_000L,
								500_000L, 100.0, 50.0, 20.0, 0L, null, null, null, null));
				client.send(false, 1, this.codec.encode(this.credentials.sign(exchange)));
				this.boxIds.add(boxId);
			}
		}
	}

	private SearchReply search(String publisherIp) {
		return search(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), publisherIp, null, null));
	}

	private SearchReply search(SearchRequest unsigned) {
		SearchRequest request = this.credentials.sign(unsigned);
		List<String> replies = new EntranceTestClient(this.port, null).send(false, 1, this.codec.encode(request))
			.replies();
		return (SearchReply) this.codec.decode(replies.get(0));
	}

	@Test
	void shouldReturnTheConfiguredNumberOfLiveBoxesWithTheirRankAndEntranceUrls() {
		SearchReply reply = search("127.0.2.50");
		assertThat(reply.boxSet()).hasSize(20);
		assertThat(reply.boxSet().keySet()).allMatch((id) -> id.startsWith("box-")).allMatch(this.boxIds::contains);
		assertThat(reply.boxSet().values()).allSatisfy((box) -> {
			assertThat(box.rankScore()).isBetween(0.0, 1.0);
			assertThat(box.rankReasons()).containsKeys("distance", "storage", "bandwidth", "cpu", "freshness");
			assertThat(box.geoip()).isNotNull();
		});
		assertThat(reply.entranceUrls()).first().isEqualTo("http://127.0.0.1:" + this.port + "/dandelion/ws/");
	}

	@Test
	void shouldRankNearestFirstForAPublisherInTokyo() {
		List<String> byDistanceFromTokyo = List.of("Tokyo", "Taipei", "Taoyuan", "Frankfurt", "New York", "Sao Paulo");
		SearchReply reply = search("127.0.2.50");
		List<ExchangeRequest> boxes = new ArrayList<>(reply.boxSet().values());
		// The draw is random among good boxes, but the reply lists them best first: the
		// boxes differ only in where they are, so best first is nearest first.
		assertThat(boxes.get(0).geoip().city()).isEqualTo("Tokyo");
		for (int i = 1; i < boxes.size(); i++) {
			assertThat(boxes.get(i).rankScore()).isLessThanOrEqualTo(boxes.get(i - 1).rankScore());
			assertThat(byDistanceFromTokyo.indexOf(boxes.get(i).geoip().city()))
				.isGreaterThanOrEqualTo(byDistanceFromTokyo.indexOf(boxes.get(i - 1).geoip().city()));
		}
	}

	@Test
	void shouldRankNearestFirstForAPublisherInFrankfurt() {
		SearchReply reply = search("127.0.3.77");
		assertThat(reply.boxSet().values().iterator().next().geoip().city()).isEqualTo("Frankfurt");
	}

	@Test
	void shouldRankBoxesNearTheAudienceFirstRatherThanNearThePublisher() {
		// A publisher in Tokyo whose viewers are in Frankfurt (2/3) and New York (1/3)
		List<AudienceShare> audience = List.of(new AudienceShare(50.5, 8.5, 0.667),
				new AudienceShare(40.5, -74.5, 0.333));
		SearchReply reply = search(
				new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, 4).withAudience(audience));
		// The draw keeps a small chance for far boxes
		assertThat(reply.boxSet().values()).extracting((box) -> box.geoip().city())
			.filteredOn((city) -> city.equals("Frankfurt") || city.equals("New York"))
			.hasSizeGreaterThanOrEqualTo(3);
		ExchangeRequest best = reply.boxSet().values().iterator().next();
		assertThat(best.geoip().city()).isEqualTo("Frankfurt");
		// A third of the audience 6 200 km away from a box in Frankfurt
		assertThat(best.rankReasons().get("distance_km")).isBetween(2000.0, 2200.0);
	}

	@Test
	void shouldRefuseAnAudienceOutOfRange() {
		String search = "{\"ID\": \"" + NodeId.random(Role.PUBLISHER).value()
				+ "\", \"IP\": \"127.0.2.50\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"SEARCH\", "
				+ "\"AUDIENCE\": [{\"LAT\": 91, \"LON\": 8, \"SHARE\": 1}]}";
		List<String> replies = new EntranceTestClient(this.port, null).send(false, 1, search).replies();
		assertThat(replies.get(0)).contains("ERROR").contains("AUDIENCE");
	}

	@Test
	void shouldNotChooseTheSameSetEveryTimeAmongEqualBoxes() {
		Set<Set<String>> choices = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			choices.add(new HashSet<>(search("127.0.2.50").boxSet().keySet()));
		}
		assertThat(choices).hasSizeGreaterThan(1);
	}

	@Test
	void shouldHonourTheCapPerNetworkAndTheAmountAPublisherAsks() {
		SearchRequest request = this.credentials
			.sign(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, 7));
		SearchReply reply = (SearchReply) this.codec.decode(
				new EntranceTestClient(this.port, null).send(false, 1, this.codec.encode(request)).replies().get(0));
		assertThat(reply.boxSet()).hasSize(7);
		assertThat(reply.boxSet().values().stream().map((box) -> box.ip().substring(0, box.ip().lastIndexOf('.'))))
			.allSatisfy((network) -> assertThat(
					reply.boxSet().values().stream().filter((box) -> box.ip().startsWith(network + ".")).count())
				.isLessThanOrEqualTo(5));
	}

}
