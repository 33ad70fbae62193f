package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dandelion.network.inprocess.TestNetwork.Box;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.support.geo.GreatCircle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boxes where the viewers are, measured: two boxes in each of the four loopback cities
 * (Taipei, Tokyo, Frankfurt, New York), a publisher in Taoyuan keeping four of them, and
 * viewers in Frankfurt (two thirds) and New York (a third). The same run three times:
 * with distance and the audience ({@code AUDIENCE} in SEARCH, replicas near the viewers);
 * with distance to the publisher only ({@code PUBLISHER_AUDIENCE} false, as before); and
 * with distance left out ({@code ENTRANCE_DISTANCE_WEIGHT} 0 as well). {@code /r/} sends
 * each viewer to the nearest replica in all three. Each reports the viewers' mean
 * distance to the box {@code /r/} sent them to, beside the best possible: the nearest box
 * holding the file, and the nearest box of the network. The figures are in
 * docs/benchmarks.md.
 */
@Tag(TestRedis.TAG)
@Tag(TestRedis.ONE_LAYOUT_TAG)
class AudiencePlacementNetworkTests {

	private static final Logger logger = LoggerFactory.getLogger(AudiencePlacementNetworkTests.class);

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** The cities of the test GeoIP database, by the /24 that maps to them. */
	private static final Map<String, GeoLocation> CITIES = Map.of("127.0.0.", place("Taoyuan", 24.9682, 121.1953),
			"127.0.1.", place("Taipei", 25.0330, 121.5654), "127.0.2.", place("Tokyo", 35.6762, 139.6503), "127.0.3.",
			place("Frankfurt", 50.1109, 8.6821), "127.0.4.", place("New York", 40.7128, -74.0060));

	private static final String FRANKFURT_VIEWER = "127.0.3.50";

	private static final String NEW_YORK_VIEWER = "127.0.4.50";

	/** Two thirds of the viewer requests come from Frankfurt, a third from New York. */
	private static final List<String> VIEWERS = List.of(FRANKFURT_VIEWER, FRANKFURT_VIEWER, NEW_YORK_VIEWER);

	private static final int FILES = 6;

	private static final int POOL = 4;

	@TempDir
	Path home;

	@Test
	void shouldSendViewersToBoxesNearThemWithinTenPercentOfTheBestPossible() {
		Distances aware = run(1, true);
		Distances nearPublisher = run(1, false);
		Distances blind = run(0, false);
		logger.info("Mean viewer-to-box distance over {} redirects: {} km with distance and audience (served from {}); "
				+ "{} km with distance to the publisher only (served from {}); {} km with distance left out (served "
				+ "from {}); nearest box holding the file {} km, nearest box of the network {} km",
				aware.served().size(), round(aware.meanServed()), aware.servedFrom(), round(nearPublisher.meanServed()),
				nearPublisher.servedFrom(), round(blind.meanServed()), blind.servedFrom(),
				round(aware.meanNearestHolder()), round(aware.meanNearestBox()));
		assertThat(aware.meanServed())
			.as("mean distance with the audience, against the best possible %s km", round(aware.meanNearestBox()))
			.isLessThanOrEqualTo(1.1 * aware.meanNearestBox() + 1);
		assertThat(aware.meanServed()).as("with the audience, against distance left out")
			.isLessThanOrEqualTo(blind.meanServed());
		// The pool near a publisher in Taoyuan: Taipei and Tokyo, half a world from the
		// viewers
		assertThat(nearPublisher.meanServed()).as("with distance to the publisher only").isGreaterThan(5000);
	}

	/**
	 * One run on a network of its own.
	 * @param distanceWeight the entrance's {@code ENTRANCE_DISTANCE_WEIGHT}
	 * @param audience whether the publisher follows its audience
	 * @return the distances of every redirect
	 */
	private Distances run(int distanceWeight, boolean audience) {
		try (TestNetwork network = TestNetwork.start(TestNetwork.TRUST, false,
				"entrance.ranking.weights.distance=" + distanceWeight)) {
			// City by city, twice: among boxes this equal, heartbeat timing decides the
			// distance-blind ranking, and this order spreads its pool over the four
			// cities (starting Frankfurt and New York last would hand it their boxes)
			for (String host : List.of("10", "11")) {
				for (String city : List.of("127.0.1.", "127.0.2.", "127.0.3.", "127.0.4.")) {
					network.startBox(city + host);
				}
			}
			ConfigurableApplicationContext publisher = network.startPublisher(
					this.home.resolve(distanceWeight + "-" + audience), "publisher.min-http-peers=" + POOL,
					"publisher.audience.enabled=" + audience);
			WebTestClient client = TestNetwork.client(publisher);
			awaitReady(client, (ready) -> ready.size() == POOL);

			// The viewers of a first file tell the publisher where its audience is
			upload(client, "/warm-up.bin");
			awaitStored(client, "/warm-up.bin");
			for (int round = 0; round < 10; round++) {
				VIEWERS.forEach((viewer) -> TestNetwork.redirect(client, "/warm-up.bin", viewer));
			}
			if (audience) {
				Set<String> near = awaitReady(client, (ready) -> ready.size() == POOL
						&& ready.stream().allMatch((ip) -> ip.startsWith("127.0.3.") || ip.startsWith("127.0.4.")));
				// A steady audience moves no connection: over six more SEARCH rounds,
				// with
				// viewers still coming, the pool holds the same boxes
				await("the same pool while the audience stays").during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> {
						VIEWERS.forEach((viewer) -> TestNetwork.redirect(client, "/warm-up.bin", viewer));
						return readyBoxes(client);
					}, near::equals);
			}

			List<String> files = new ArrayList<>();
			for (int file = 0; file < FILES; file++) {
				files.add(upload(client, "/audience/" + file + ".bin"));
			}
			Distances distances = new Distances(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
					new TreeMap<>());
			for (String file : files) {
				List<GeoLocation> holders = awaitStored(client, file).stream()
					.map((boxId) -> placeOf(network, boxId))
					.toList();
				for (String viewer : VIEWERS) {
					GeoLocation at = cityOf(viewer);
					URI box = URI.create(TestNetwork.redirect(client, file, viewer));
					distances.served().add(GreatCircle.kilometres(at, cityOf(box.getHost())));
					distances.servedFrom().merge(cityOf(box.getHost()).city(), 1, Integer::sum);
					distances.nearestHolder().add(nearest(at, holders));
					distances.nearestBox()
						.add(nearest(at, network.boxes().stream().map((each) -> cityOf(each.ip())).toList()));
				}
			}
			return distances;
		}
	}

	private static String upload(WebTestClient client, String name) {
		byte[] content = new byte[20_000];
		new Random(name.hashCode()).nextBytes(content);
		client.put()
			.uri("/api/v1/files" + name + "?ttl=300")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted();
		return name;
	}

	/** Waits until the file is stored on two boxes; answers their IDs. */
	@SuppressWarnings("unchecked")
	private static List<String> awaitStored(WebTestClient client, String name) {
		List<String> holders = new ArrayList<>();
		await("two replicas of " + name).atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			Map<String, Object> state = TestNetwork.describe(client, name);
			assertThat(state.get("state")).as("state of %s: %s", name, state).isEqualTo("stored");
			List<Map<String, Object>> replicas = (List<Map<String, Object>>) state.get("replicas");
			assertThat(replicas).hasSize(2);
			holders.clear();
			replicas.forEach((replica) -> holders.add((String) replica.get("boxId")));
		});
		return holders;
	}

	private static Set<String> awaitReady(WebTestClient client, Predicate<Set<String>> settled) {
		return await("the pool's ready boxes").atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> readyBoxes(client), settled);
	}

	/** The addresses of the boxes with a ready PUBLISH connection. */
	private static Set<String> readyBoxes(WebTestClient client) {
		return TestNetwork.boxes(client)
			.stream()
			.filter((box) -> "READY".equals(box.get("connection")))
			.map((box) -> (String) box.get("ip"))
			.collect(Collectors.toSet());
	}

	private static GeoLocation placeOf(TestNetwork network, String boxId) {
		return network.boxes()
			.stream()
			.filter((box) -> box.id().equals(boxId))
			.map(Box::ip)
			.map(AudiencePlacementNetworkTests::cityOf)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No box " + boxId + " in the network"));
	}

	private static GeoLocation cityOf(String ip) {
		GeoLocation city = CITIES.get(ip.substring(0, ip.lastIndexOf('.') + 1));
		assertThat(city).as("the city of %s", ip).isNotNull();
		return city;
	}

	private static double nearest(GeoLocation viewer, List<GeoLocation> boxes) {
		return boxes.stream().mapToDouble((box) -> GreatCircle.kilometres(viewer, box)).min().orElseThrow();
	}

	private static GeoLocation place(String city, double latitude, double longitude) {
		return new GeoLocation(null, null, null, city, null, null, latitude, longitude);
	}

	private static long round(double kilometres) {
		return Math.round(kilometres);
	}

	/**
	 * The distances of every redirect of a run, in kilometres.
	 *
	 * @param served from the viewer to the box {@code /r/} sent it to
	 * @param nearestHolder from the viewer to the nearest box holding the file
	 * @param nearestBox from the viewer to the nearest box of the network
	 * @param servedFrom how many redirects went to each city
	 */
	private record Distances(List<Double> served, List<Double> nearestHolder, List<Double> nearestBox,
			Map<String, Integer> servedFrom) {

		double meanServed() {
			return mean(this.served);
		}

		double meanNearestHolder() {
			return mean(this.nearestHolder);
		}

		double meanNearestBox() {
			return mean(this.nearestBox);
		}

		private static double mean(List<Double> kilometres) {
			return kilometres.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
		}

	}

}
