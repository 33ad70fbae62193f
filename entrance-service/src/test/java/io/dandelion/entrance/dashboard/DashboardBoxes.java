package io.dandelion.entrance.dashboard;

import java.util.List;
import java.util.UUID;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.TrafficEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boxes for the dashboard's tests, heartbeating as real boxes do: a signed EXCHANGE
 * through the entrance's WebSocket, with new traffic each time.
 */
final class DashboardBoxes {

	private DashboardBoxes() {
	}

	/**
	 * A box's heartbeat without traffic. The entrance places it by its IP with the test
	 * GeoIP database: 127.0.2.x is Tokyo, 127.0.3.x Frankfurt, 127.0.4.x New York,
	 * 127.0.5.x Sao Paulo.
	 * @param id the box's ID
	 * @param ip its IP
	 * @return the heartbeat
	 */
	static ExchangeRequest exchange(String id, String ip) {
		return ExchangeRequest.of(id, ip, 7070, "ws://" + ip + ":7070/dandelion/" + id + "/ws/",
				new BoxMetrics(1200.0, 4, 1.0, 0.5, null, 93.0, 0.0, 0.0, 0.1, 0.0, 0.01, 0.05, 947732L, 512000L, 100.0,
						72.5, 20.0, 131072L, null, null, null, null));
	}

	/**
	 * Sends one signed heartbeat that reports one new traffic entry.
	 * @param entrance a client of the entrance
	 * @param credentials the entrance's credentials
	 * @param codec the codec
	 * @param id the box's ID
	 * @param ip its IP
	 * @param servedBytes the size of the entry
	 */
	static void heartbeat(EntranceTestClient entrance, TestCredentials credentials, MessageCodec codec, String id,
			String ip, long servedBytes) {
		heartbeat(entrance, credentials, codec, exchange(id, ip), servedBytes);
	}

	/**
	 * Sends one signed heartbeat that reports one new traffic entry.
	 * @param entrance a client of the entrance
	 * @param credentials the entrance's credentials
	 * @param codec the codec
	 * @param heartbeat the heartbeat, without traffic
	 * @param servedBytes the size of the entry
	 */
	static void heartbeat(EntranceTestClient entrance, TestCredentials credentials, MessageCodec codec,
			ExchangeRequest heartbeat, long servedBytes) {
		String id = heartbeat.id();
		ExchangeRequest exchange = heartbeat.withTraffic(List
			.of(new TrafficEntry("log-" + UUID.randomUUID(), "/publisher/demo/seg.ts", 200, servedBytes, null)));
		ExchangeReply reply = (ExchangeReply) codec.decode(entrance.request(codec.encode(credentials.sign(exchange))));
		assertThat(reply.accepted()).as("heartbeat of %s accepted", id).isTrue();
	}

}
