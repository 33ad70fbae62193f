package io.dandelion.network;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.network.RunningNetwork.Box;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attempts of the probe that found the original's network open to anyone, made from
 * outside against a running network, as an attacker on the same machine would: HTTP and
 * WebSocket messages written by hand (over TLS when the network serves it), no
 * credential, no token, no ticket.
 */
final class Attacker {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final ObjectMapper json = new ObjectMapper();

	private final RunningNetwork network;

	private final HttpClient http;

	Attacker(RunningNetwork network, HttpClient http) {
		this.network = network;
		this.http = http;
	}

	/** Uploads (TTL 0, to fill the boxes) and a rogue entrance, without the tokens. */
	void assertAnonymousWritesRefused() throws Exception {
		for (String authorization : new String[] { null, "Bearer not-the-token", "Basic YWRtaW46YWRtaW4=" }) {
			HttpRequest.Builder upload = HttpRequest
				.newBuilder(this.network.publisher().resolve("/api/v1/files/attack/fill.bin?ttl=0"))
				.timeout(TIMEOUT)
				.PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024]));
			HttpRequest.Builder entrance = HttpRequest
				.newBuilder(this.network.entrance().resolve("/dandelion/api/v1/entrances"))
				.timeout(TIMEOUT)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.99:7071/dandelion/ws/\"}"));
			if (authorization != null) {
				upload.header("Authorization", authorization);
				entrance.header("Authorization", authorization);
			}
			assertThat(send(upload.build()).statusCode()).as("upload with %s", authorization).isEqualTo(401);
			assertThat(send(entrance.build()).statusCode()).as("rogue entrance with %s", authorization).isEqualTo(401);
		}
		assertThat(send(HttpRequest.newBuilder(this.network.publisher().resolve("/api/v1/files/attack/fill.bin"))
			.timeout(TIMEOUT)
			.build()).statusCode()).as("the refused upload is unknown").isEqualTo(404);
		assertThat(getJson(this.network.entrance().resolve("/dandelion/api/v1/entrances")).toString())
			.doesNotContain("127.0.0.99");
	}

	/** A box nobody registered sends EXCHANGE with figures that would rank it first. */
	void assertFakeBoxRefused() throws Exception {
		String fake = "box-" + UUID.randomUUID().toString().replace("-", "");
		JsonNode reply = exchange(fake, "http://127.0.0.66:7071/dandelion/" + fake + "/ws/");
		assertThat(reply.path("ERROR_CODE").asText()).as("reply %s", reply).isEqualTo("UNAUTHENTICATED");
		assertThat(getJson(this.network.entrance().resolve("/dandelion/api/v1/boxes")).toString()).doesNotContain(fake);
	}

	/** An EXCHANGE with a real box's ID sending publishers elsewhere. */
	void assertTakeOverRefused(Box victim) throws Exception {
		String before = getJson(this.network.entrance().resolve("/dandelion/api/v1/boxes/" + victim.id()))
			.path("connectWs")
			.asText();
		JsonNode reply = exchange(victim.id(), "http://127.0.0.66:7071/dandelion/" + victim.id() + "/ws/");
		assertThat(reply.path("ERROR_CODE").asText()).as("reply %s", reply).isEqualTo("UNAUTHENTICATED");
		assertThat(getJson(this.network.entrance().resolve("/dandelion/api/v1/boxes/" + victim.id())).path("connectWs")
			.asText()).isEqualTo(before).doesNotContain("127.0.0.66");
	}

	/** PUBLISH with the real publisher's ID but no ticket, to overwrite its files. */
	void assertPublishWithoutTicketRefused(Box victim) throws Exception {
		URI box = URI.create(this.network.webSocketScheme() + "://" + victim.ip() + ":" + victim.port() + "/dandelion/"
				+ victim.id() + "/ws/");
		Conversation conversation = Conversation.open(this.http, box);
		conversation.send("{\"ID\": \"" + this.network.publisherId()
				+ "\", \"IP\": \"127.0.0.66\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}");
		JsonNode reply = json.readTree(conversation.reply());
		assertThat(reply.path("ERROR_CODE").asText()).as("reply %s", reply).isEqualTo("BAD_TICKET");
		assertThat(conversation.closeCode()).as("close code").isEqualTo(4003);
	}

	/** A box's file fetched without the publisher's signature. */
	void assertUnsignedBoxUrlRefused() throws Exception {
		HttpResponse<String> playlist = send(
				HttpRequest.newBuilder(this.network.publisher().resolve("/live/demo/index.m3u8"))
					.timeout(TIMEOUT)
					.build());
		String segment = playlist.body()
			.lines()
			.filter((line) -> line.startsWith("/r/"))
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no segment at /r/ in " + playlist.body()));
		HttpResponse<String> redirect = send(
				HttpRequest.newBuilder(this.network.publisher().resolve(segment)).timeout(TIMEOUT).build());
		URI signed = URI.create(redirect.headers().firstValue("Location").orElseThrow());
		assertThat(signed.getRawQuery()).contains("md5=", "expires=");
		assertThat(send(HttpRequest.newBuilder(signed).timeout(TIMEOUT).build()).statusCode()).isEqualTo(200);
		URI unsigned = URI.create(signed.getScheme() + "://" + signed.getRawAuthority() + signed.getRawPath());
		assertThat(send(HttpRequest.newBuilder(unsigned).timeout(TIMEOUT).build()).statusCode()).isEqualTo(403);
		URI forged = URI.create(unsigned + "?md5=AAAAAAAAAAAAAAAAAAAAAA&expires=4102444800");
		assertThat(send(HttpRequest.newBuilder(forged).timeout(TIMEOUT).build()).statusCode()).isEqualTo(403);
	}

	private JsonNode exchange(String boxId, String connectWs) throws Exception {
		URI entrance = URI.create(
				this.network.webSocketScheme() + "://" + this.network.entrance().getRawAuthority() + "/dandelion/ws/");
		Conversation conversation = Conversation.open(this.http, entrance);
		conversation.send("{\"ID\": \"" + boxId + "\", \"IP\": \"127.0.0.66\", \"PORT\": \"7071\", \"TYPE\": \"BOX\","
				+ " \"COMMAND\": \"EXCHANGE\", \"CONNECT_WS\": \"" + connectWs + "\", \"CPU-IDLE\": \"100\","
				+ " \"DISK-AVAIL\": \"10000\", \"DISK-TOTAL\": \"10000\", \"UPLINK-MBPS\": \"10000\","
				+ " \"SERVED-BPS\": \"0\"}");
		return json.readTree(conversation.reply());
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode getJson(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build());
		assertThat(response.statusCode()).as("GET %s answered %s", uri, response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** One WebSocket connection: the first text reply and how the server closed it. */
	private static final class Conversation implements WebSocket.Listener {

		private final CompletableFuture<String> reply = new CompletableFuture<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private final StringBuilder text = new StringBuilder();

		private WebSocket socket;

		static Conversation open(HttpClient http, URI uri) throws Exception {
			Conversation conversation = new Conversation();
			conversation.socket = http.newWebSocketBuilder()
				.connectTimeout(TIMEOUT)
				.buildAsync(uri, conversation)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return conversation;
		}

		void send(String message) throws Exception {
			this.socket.sendText(message, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		String reply() throws Exception {
			return this.reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		int closeCode() throws Exception {
			return this.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.reply.complete(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			this.reply.completeExceptionally(new AssertionError("closed " + statusCode + " before a reply"));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
			this.reply.completeExceptionally(error);
		}

	}

}
