package io.dandelion.support.redis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import io.dandelion.support.background.BackgroundJob;

/**
 * Says in the log when the service loses its Redis and when it has it again, once each
 * per outage, from the connection events of Lettuce: the two lines an operator looks for,
 * while Lettuce's own reconnect messages repeat every few seconds. The loss is dated from
 * the first attempt to reconnect, a tenth of a second after it.
 */
final class RedisConnectionWatch implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(RedisConnectionWatch.class);

	private final ClientResources resources;

	private final Clock clock;

	/** Since when each Redis address has been lost, while it is. */
	private final Map<String, Instant> lostSince = new ConcurrentHashMap<>();

	RedisConnectionWatch(ClientResources resources, Clock clock) {
		this.resources = resources;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "Redis connection watch";
	}

	@Override
	public Flux<Event> run() {
		return this.resources.eventBus().get().doOnNext(this::onEvent);
	}

	void onEvent(Event event) {
		// Not ConnectionDeactivatedEvent: Spring Data opens and closes a connection of
		// its own for each blocking command, and a connection closed on purpose is no
		// outage. Lettuce tries to reconnect only one it lost
		if (event instanceof ReconnectAttemptEvent attempt) {
			String address = describe(attempt.remoteAddress());
			if (this.lostSince.putIfAbsent(address, this.clock.instant()) == null) {
				logger.warn("Lost the connection to Redis at {}: requests that need Redis are refused at once "
						+ "(HTTP 503, ERROR_CODE UNAVAILABLE) until it is back; reconnecting at least every {} s",
						address, RedisOutageAutoConfiguration.RECONNECT_DELAY_MAX.toSeconds());
			}
		}
		else if (event instanceof ConnectionActivatedEvent activated) {
			String address = describe(activated.remoteAddress());
			Instant since = this.lostSince.remove(address);
			if (since != null) {
				Duration outage = Duration.between(since, this.clock.instant());
				logger.info("Redis at {} is back after {} s: serving again", address,
						String.format(Locale.ROOT, "%.1f", outage.toMillis() / 1000.0));
			}
		}
		else if (event instanceof ClusterTopologyChangedEvent changed) {
			List<String> before = masters(changed.before());
			List<String> after = masters(changed.after());
			if (!before.equals(after)) {
				logger.info("Redis Cluster masters changed from {} to {}", before, after);
			}
			else {
				logger.debug("Redis Cluster topology changed; masters still {}", after);
			}
		}
		else if (event instanceof ReconnectFailedEvent failed) {
			logger.debug("Reconnect {} to Redis at {} failed: {}", failed.getAttempt(), failed.remoteAddress(),
					String.valueOf(failed.getCause()));
		}
	}

	/**
	 * Each master holding slots, with its address and slot ranges, in address order (in
	 * the middle of a failover the old master is still one, holding none).
	 */
	private static List<String> masters(List<RedisClusterNode> nodes) {
		return nodes.stream()
			.filter((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
			.map((node) -> node.getUri().getHost() + ":" + node.getUri().getPort() + " " + slotRanges(node))
			.sorted()
			.toList();
	}

	private static String slotRanges(RedisClusterNode node) {
		StringBuilder ranges = new StringBuilder();
		List<Integer> slots = node.getSlots();
		for (int i = 0; i < slots.size(); i++) {
			int first = slots.get(i);
			while (i + 1 < slots.size() && slots.get(i + 1) == slots.get(i) + 1) {
				i++;
			}
			ranges.append((ranges.length() > 0) ? "," : "")
				.append(first)
				.append((slots.get(i) != first) ? "-" + slots.get(i) : "");
		}
		return "[" + ranges + "]";
	}

	/**
	 * The address as host and port: Lettuce names the same Redis
	 * {@code 127.0.0.1/127.0.0.1:6379} on one connection and
	 * {@code 127.0.0.1/<unresolved>:6379} on another.
	 */
	private static String describe(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			String host = inet.getHostString();
			return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

}
