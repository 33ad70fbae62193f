import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.WebSocketPaths;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * P3's load: N simulated boxes, each holding one persistent WebSocket ({@code dandelion.v2}) to the entrance and
 * sending it a signed EXCHANGE every period, the sends of all boxes spread evenly over the period. Each box has a
 * credential issued by the entrance's admin API and signs every heartbeat with protocol-common's {@link MessageAuth}
 * and encodes it with its {@link MessageCodec}, as box-agent's EntranceClient does. The number of boxes is raised in
 * steps; each step is measured over a window (latency from the send to the entrance's reply, p50/p99/max), and the
 * ramp stops at the first step whose p99 passes the bound or that saw an error.
 *
 * Boxes leave from many loopback source addresses (BOXES_PER_SOURCE each, under MAX_CONNECTIONS_PER_IP) and claim
 * public addresses (IP, CONNECT_WS), 32 per /24 (ENTRANCE_MAX_LIVE_BOXES_PER_NETWORK), so the entrance places each
 * with a real GeoIP lookup and every default limit stays as it is.
 *
 * Usage: java -cp 'entrance-exec-jar-libs/*' Heartbeats.java ENTRANCE_BASE_URL ADMIN_TOKEN_FILE STEPS SECONDS
 * [PIDS]; STEPS like 1000,2000,5000; PIDS like entrance=123,redis=456 (their CPU is read from /proc per window).
 * System properties: period (seconds, 5), maxConnections (19000; beyond it the period shortens so that the rate is
 * that of STEP boxes), boundMs (100), perSource (32), warmup (seconds of load before the first step is measured, 30);
 * redis.port and commandstats.file append each window's Redis calls per EXCHANGE sent to FILE; jfr.pid and jfr.file record that process with JFR during
 * each step's window, into FILE-STEP.jfr.
 */
public class Heartbeats {

	static final MessageCodec codec = new MessageCodec();

	static final long MS = 1_000_000L;

	/** A box's measured figures besides its identity, as a box-agent on a small Linux machine sends them. */
	static final String FIGURES = "\"CPU-HZ\": \"1200\", \"CPU-NUM\": \"4\", \"CPU-USR\": \"1.0\", \"CPU-SYS\": \"0.5\","
			+ " \"CPU-NIC\": \"0.0\", \"CPU-IDLE\": \"98.4\", \"CPU-IO\": \"0.0\", \"CPU-IRQ\": \"0.0\", \"CPU-SIRQ\": \"0.1\","
			+ " \"LOADAVG-1\": \"0.00\", \"LOADAVG-5\": \"0.01\", \"LOADAVG-15\": \"0.05\", \"MEM-TOTAL\": \"947732\","
			+ " \"MEM-AVAIL\": \"512000\", \"DISK-TOTAL\": \"14.52\", \"DISK-AVAIL\": \"9.13\", \"UPLINK-MBPS\": \"20\","
			+ " \"SERVED-BPS\": \"131072\", \"NET-RX\": \"18234567890\", \"NET-TX\": \"9234567890\","
			+ " \"STORE-USED\": \"123456789\", \"STORE-MAX\": \"1000000000\"";

	public static void main(String[] args) throws Exception {
		String base = args[0].replaceAll("/$", "");
		String token = Files.readString(Path.of(args[1])).trim();
		List<Integer> steps = new ArrayList<>();
		for (String step : args[2].split(",")) {
			steps.add(Integer.parseInt(step.trim()));
		}
		int seconds = Integer.parseInt(args[3]);
		Map<String, Long> pids = new java.util.LinkedHashMap<>();
		if (args.length > 4 && !args[4].isBlank()) {
			for (String pair : args[4].split(",")) {
				String[] parts = pair.split("=");
				pids.put(parts[0], Long.parseLong(parts[1]));
			}
		}
		pids.put("load tool", ProcessHandle.current().pid());
		double period = Double.parseDouble(System.getProperty("period", "5"));
		int maxConnections = Integer.getInteger("maxConnections", 19000);
		double boundMs = Double.parseDouble(System.getProperty("boundMs", "100"));
		int perSource = Integer.getInteger("perSource", 32);
		new Heartbeats(base, token, period, maxConnections, boundMs, perSource, pids).ramp(steps, seconds);
	}

	final String base;

	final String token;

	final double basePeriod;

	final int maxConnections;

	final double boundMs;

	final int perSource;

	final Map<String, Long> pids;

	final List<Box> boxes = new ArrayList<>();

	final List<String> networks = new ArrayList<>();

	final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final reactor.netty.http.client.HttpClient[] clients;

	/** Latencies of the window's sends, in 0.1 ms buckets (the last holds everything over 10 s). */
	final AtomicLong[] histogram = new AtomicLong[100_001];

	final AtomicLong errors = new AtomicLong();

	final AtomicLong closed = new AtomicLong();

	final Map<String, String> errorSamples = new ConcurrentHashMap<>();

	volatile long windowStart = Long.MAX_VALUE;

	volatile long windowEnd = Long.MAX_VALUE;

	/** Boxes sent to, in schedule order; the sender walks it once per period. */
	volatile int scheduled;

	volatile double periodSeconds;

	Heartbeats(String base, String token, double period, int maxConnections, double boundMs, int perSource,
			Map<String, Long> pids) {
		this.base = base;
		this.token = token;
		this.basePeriod = period;
		this.periodSeconds = period;
		this.maxConnections = maxConnections;
		this.boundMs = boundMs;
		this.perSource = perSource;
		this.pids = pids;
		for (int i = 0; i < this.histogram.length; i++) {
			this.histogram[i] = new AtomicLong();
		}
		int sources = (maxConnections + perSource - 1) / perSource;
		this.clients = new reactor.netty.http.client.HttpClient[sources];
		publicNetworks(sources);
	}

	/**
	 * Public /24 prefixes, one per source address, spread over the IPv4 space: a bijection of the 2^24 prefixes, the
	 * private, loopback, shared and reserved ones left out.
	 */
	void publicNetworks(int count) {
		for (long j = 1; this.networks.size() < count; j++) {
			long prefix = (j * 2654435761L) & 0xFFFFFF;
			int a = (int) (prefix >> 16);
			int b = (int) ((prefix >> 8) & 0xFF);
			int c = (int) (prefix & 0xFF);
			boolean reserved = a == 0 || a == 10 || a == 127 || a >= 224 || (a == 100 && b >= 64 && b < 128)
					|| (a == 169 && b == 254) || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168);
			if (!reserved) {
				this.networks.add(a + "." + b + "." + c);
			}
		}
	}

	/** The loopback address group g of boxes leaves from: 127.10.0.1 and on, never .0 or .255. */
	static String sourceAddress(int group) {
		int a = 10 + group / (254 * 254);
		int b = (group / 254) % 254 + 1;
		int c = group % 254 + 1;
		return "127." + a + "." + b + "." + c;
	}

	void ramp(List<Integer> steps, int seconds) throws Exception {
		Thread sender = new Thread(this::sendForever, "sender");
		sender.setDaemon(true);
		sender.start();
		System.out.println("| boxes | connections | period s | EXCHANGE/s sent | replies/s | p50 ms | p99 ms | max ms"
				+ " | errors | CPU % of a core: " + String.join(" / ", this.pids.keySet())
				+ " | CPU µs per EXCHANGE replied: " + String.join(" / ", this.pids.keySet()) + " |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
		int capacity = 0;
		for (int target : steps) {
			int connections = Math.min(target, this.maxConnections);
			long opening = System.nanoTime();
			open(connections);
			System.err.printf(Locale.ROOT, "%d connections open (%.1f s to open the new ones)%n", this.boxes.size(),
					(System.nanoTime() - opening) / 1e9);
			this.periodSeconds = this.basePeriod * connections / target;
			this.scheduled = connections;
			// One period for every new box to be in the schedule, and the entrance to settle
			Thread.sleep((long) (this.periodSeconds * 1000) + 2000);
			if (target == steps.get(0)) {
				// The entrance's JIT compilers are busy for the first tens of seconds
				Thread.sleep(Integer.getInteger("warmup", 30) * 1000L);
			}
			Row row = measure(target, connections, seconds);
			System.out.println(row.markdown());
			System.out.flush();
			if (row.p99 >= this.boundMs || row.errors > 0) {
				System.err.println("Stopping: " + (row.errors > 0 ? row.errors + " errors " + this.errorSamples
						: "p99 " + row.p99 + " ms is over " + this.boundMs + " ms"));
				break;
			}
			capacity = target;
		}
		System.out.println();
		System.out.println("CAPACITY " + capacity);
		System.exit(0);
	}

	Row measure(int target, int connections, int seconds) throws Exception {
		for (AtomicLong bucket : this.histogram) {
			bucket.set(0);
		}
		this.errors.set(0);
		long closedBefore = this.closed.get();
		AtomicLong sent = this.sentInWindow;
		sent.set(0);
		String jfrFile = System.getProperty("jfr.file");
		if (jfrFile != null) {
			// One recording per step, FILE-STEP.jfr: the step at the bound is the one to read
			new ProcessBuilder("jcmd", System.getProperty("jfr.pid"), "JFR.start", "name=p3-" + target,
					"settings=profile", "duration=" + seconds + "s",
					"filename=" + jfrFile.replaceFirst("(\\.jfr)?$", "-" + target + ".jfr"))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor();
		}
		Map<String, Long> commandsBefore = commandstats();
		Map<String, Long> ticks = ticks();
		long start = System.nanoTime();
		this.windowStart = start;
		this.windowEnd = start + seconds * 1_000_000_000L;
		Thread.sleep(seconds * 1000L);
		Map<String, Long> ticksAfter = ticks();
		Map<String, Long> commandsAfter = commandstats();
		double elapsed = (System.nanoTime() - start) / 1e9;
		// The replies to the window's last sends
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (answered() < sent.get() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		Row row = new Row();
		row.target = target;
		row.connections = connections;
		row.period = this.periodSeconds;
		row.sent = sent.get() / (double) seconds;
		long replies = answered();
		row.replies = replies / (double) seconds;
		row.p50 = percentile(replies, 0.50);
		row.p99 = percentile(replies, 0.99);
		row.max = percentile(replies, 1.0);
		row.errors = this.errors.get() + (sent.get() - replies) + (this.closed.get() - closedBefore);
		StringBuilder cpu = new StringBuilder();
		StringBuilder perExchange = new StringBuilder();
		for (String name : this.pids.keySet()) {
			Long before = ticks.get(name);
			Long after = ticksAfter.get(name);
			cpu.append(cpu.isEmpty() ? "" : " / ").append((before == null || after == null) ? "?"
					: String.format(Locale.ROOT, "%.0f", (after - before) / 100.0 / elapsed * 100));
			perExchange.append(perExchange.isEmpty() ? "" : " / ").append((before == null || after == null
					|| replies == 0) ? "?" : String.format(Locale.ROOT, "%.0f", (after - before) / 100.0 * 1e6 / replies));
		}
		row.cpu = cpu + " | " + perExchange;
		String file = System.getProperty("commandstats.file");
		if (file != null && replies > 0) {
			StringBuilder line = new StringBuilder(target + "");
			commandsAfter.forEach((name, calls) -> {
				long delta = calls - commandsBefore.getOrDefault(name, 0L);
				if (delta > 0) {
					line.append(String.format(Locale.ROOT, " %s=%.2f", name, delta / (double) sent.get()));
				}
			});
			Files.writeString(Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
		}
		return row;
	}

	final AtomicLong sentInWindow = new AtomicLong();

	/** Calls per Redis command so far (INFO commandstats of the entrance's Redis, its scripts' calls included). */
	Map<String, Long> commandstats() throws IOException, InterruptedException {
		Map<String, Long> calls = new java.util.TreeMap<>();
		String port = System.getProperty("redis.port");
		if (port == null) {
			return calls;
		}
		Process process = new ProcessBuilder("redis-cli", "-p", port, "info", "commandstats").start();
		String text = new String(process.getInputStream().readAllBytes());
		process.waitFor();
		Matcher matcher = Pattern.compile("cmdstat_([^:]+):calls=(\\d+)").matcher(text);
		while (matcher.find()) {
			calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
		}
		return calls;
	}

	long answered() {
		long total = 0;
		for (AtomicLong bucket : this.histogram) {
			total += bucket.get();
		}
		return total;
	}

	double percentile(long total, double share) {
		if (total == 0) {
			return Double.NaN;
		}
		long rank = Math.max(1, (long) Math.ceil(total * share));
		long seen = 0;
		for (int i = 0; i < this.histogram.length; i++) {
			seen += this.histogram[i].get();
			if (seen >= rank) {
				return (i + 1) / 10.0;
			}
		}
		return Double.NaN;
	}

	/** CPU ticks (user + system) of each process, from /proc; CLK_TCK is 100 on Linux. */
	Map<String, Long> ticks() {
		Map<String, Long> ticks = new java.util.LinkedHashMap<>();
		this.pids.forEach((name, pid) -> {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				ticks.put(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
			}
			catch (IOException ex) {
				// gone: shown as "?"
			}
		});
		return ticks;
	}

	/** Opens connections (and issues credentials) until there are this many, at most 200 handshakes at a time. */
	void open(int connections) throws Exception {
		int from = this.boxes.size();
		if (connections <= from) {
			return;
		}
		Semaphore inFlight = new Semaphore(200);
		CountDownLatch done = new CountDownLatch(connections - from);
		AtomicInteger failed = new AtomicInteger();
		List<java.util.concurrent.CompletableFuture<Box>> issued = new ArrayList<>();
		Semaphore issuing = new Semaphore(32);
		for (int i = from; i < connections; i++) {
			issuing.acquire();
			issued.add(newBox(i).whenComplete((box, ex) -> issuing.release()));
		}
		for (var future : issued) {
			Box box = future.get(120, TimeUnit.SECONDS);
			this.boxes.add(box);
			inFlight.acquire();
			box.connect().doFinally((signal) -> {
				inFlight.release();
				done.countDown();
			}).subscribe((ok) -> {
			}, (ex) -> {
				if (failed.incrementAndGet() <= 3) {
					System.err.println("A connection failed: " + ex);
				}
			});
		}
		if (!done.await(300, TimeUnit.SECONDS) || failed.get() > 0) {
			throw new IllegalStateException(failed.get() + " connections failed to open");
		}
	}

	java.util.concurrent.CompletableFuture<Box> newBox(int index) {
		String id = "box-" + java.util.UUID.randomUUID().toString().replace("-", "");
		int group = index / this.perSource;
		String ip = this.networks.get(group) + "." + (10 + index % this.perSource);
		String json = "{\"ID\": \"" + id + "\", \"IP\": \"" + ip + "\", \"PORT\": \"7070\", \"TYPE\": \"BOX\","
				+ " \"COMMAND\": \"EXCHANGE\", \"CONNECT_WS\": \"http://" + ip + ":7070/dandelion/" + id + "/ws/\", "
				+ FIGURES + ", \"DATA_PORT\": \"7072\", \"DATA_SCHEME\": \"http\"}";
		ExchangeRequest exchange = (ExchangeRequest) codec.decode(json);
		return issue(id).thenApply((credential) -> new Box(exchange, credential, group));
	}

	/**
	 * A credential recorded through the entrance's admin API, as an operator issues one for each box. The secret is
	 * made here and imported ({@code {"SECRET": …}}), so that a PUT retried after a 503 whose first try was recorded
	 * (409) still leaves the box with a credential it knows.
	 */
	java.util.concurrent.CompletableFuture<NodeCredential> issue(String id) {
		NodeCredential credential = NodeCredential.random(io.dandelion.protocol.identity.NodeId.parse(id));
		return issue(credential, 5, false);
	}

	java.util.concurrent.CompletableFuture<NodeCredential> issue(NodeCredential credential, int attempts,
			boolean retried) {
		String id = credential.id().value();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/dandelion/api/v1/credentials/" + id))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"SECRET\": \"" + credential.encodedSecret() + "\"}"))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.admin.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose((response) -> {
			if (response.statusCode() == 201 || (response.statusCode() == 409 && retried)) {
				return java.util.concurrent.CompletableFuture.completedFuture(credential);
			}
			if (response.statusCode() == 503 && attempts > 1) {
				return java.util.concurrent.CompletableFuture.supplyAsync(() -> null,
						java.util.concurrent.CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS))
					.thenCompose((ignored) -> issue(credential, attempts - 1, true));
			}
			throw new IllegalStateException(
					"PUT credentials/" + id + ": " + response.statusCode() + " " + response.body());
		});
	}

	reactor.netty.http.client.HttpClient client(int group) {
		if (this.clients[group] == null) {
			String source = sourceAddress(group);
			this.clients[group] = reactor.netty.http.client.HttpClient.newConnection()
				.bindAddress(() -> new InetSocketAddress(source, 0));
		}
		return this.clients[group];
	}

	/** Walks the schedule: box i of n sends at i/n of each period. */
	void sendForever() {
		long origin = System.nanoTime();
		long lastSlot = 0;
		while (true) {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				return;
			}
			int n = this.scheduled;
			if (n == 0) {
				continue;
			}
			long periodNanos = (long) (this.periodSeconds * 1e9);
			long slot = (long) ((System.nanoTime() - origin) / (double) periodNanos * n);
			if (slot - lastSlot > n) {
				lastSlot = slot - n;
			}
			for (long s = lastSlot; s < slot; s++) {
				Box box = this.boxes.get((int) (s % n));
				box.send();
			}
			lastSlot = slot;
		}
	}

	final class Box {

		final ExchangeRequest exchange;

		final NodeCredential credential;

		final int group;

		final ArrayDeque<Long> pending = new ArrayDeque<>();

		volatile Channel channel;

		long lastAuthTime;

		Box(ExchangeRequest exchange, NodeCredential credential, int group) {
			this.exchange = exchange;
			this.credential = credential;
			this.group = group;
		}

		Mono<Void> connect() {
			CountDownLatch opened = new CountDownLatch(1);
			return Mono.create((sink) -> client(this.group)
				.websocket(WebsocketClientSpec.builder().protocols(WebSocketPaths.PERSISTENT_SUBPROTOCOL).build())
				.uri(Heartbeats.this.base.replaceFirst("^http", "ws") + WebSocketPaths.ENTRANCE_WS)
				.handle((in, out) -> {
					in.withConnection((connection) -> this.channel = connection.channel());
					sink.success();
					return in.receive().asString().doOnNext(this::reply).then().doFinally((signal) -> {
						Heartbeats.this.closed.incrementAndGet();
						Heartbeats.this.errorSamples.putIfAbsent("closed", this.exchange.id() + " " + signal);
					});
				})
				.subscribe((ignored) -> {
				}, sink::error));
		}

		void send() {
			Channel channel = this.channel;
			if (channel == null) {
				return;
			}
			long now = System.currentTimeMillis();
			this.lastAuthTime = Math.max(now, this.lastAuthTime + 1);
			String text = codec.encode(MessageAuth.sign(this.exchange, this.credential,
					Instant.ofEpochMilli(this.lastAuthTime)));
			long sentAt = System.nanoTime();
			boolean measured = sentAt >= Heartbeats.this.windowStart && sentAt < Heartbeats.this.windowEnd;
			synchronized (this.pending) {
				this.pending.add(measured ? sentAt : -1L);
			}
			if (measured) {
				Heartbeats.this.sentInWindow.incrementAndGet();
			}
			channel.writeAndFlush(new TextWebSocketFrame(text));
		}

		void reply(String text) {
			long now = System.nanoTime();
			Long sentAt;
			synchronized (this.pending) {
				sentAt = this.pending.poll();
			}
			if (text.contains("\"ERROR_CODE\"")) {
				Heartbeats.this.errors.incrementAndGet();
				Matcher code = Pattern.compile("\"ERROR_CODE\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
				Heartbeats.this.errorSamples.putIfAbsent(code.find() ? code.group(1) : "?", text);
			}
			if (sentAt != null && sentAt >= 0) {
				int bucket = (int) Math.min((now - sentAt) / (MS / 10), Heartbeats.this.histogram.length - 1);
				Heartbeats.this.histogram[bucket].incrementAndGet();
			}
		}

	}

	static final class Row {

		int target;

		int connections;

		double period;

		double sent;

		double replies;

		double p50;

		double p99;

		double max;

		long errors;

		String cpu;

		String markdown() {
			return String.format(Locale.ROOT, "| %,d | %,d | %.2f | %,.0f | %,.0f | %.1f | %.1f | %.1f | %d | %s |",
					this.target, this.connections, this.period, this.sent, this.replies, this.p50, this.p99,
					this.max, this.errors, this.cpu);
		}

	}

}
