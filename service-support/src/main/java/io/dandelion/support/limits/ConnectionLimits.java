package io.dandelion.support.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;

/**
 * Keeps one client from starving the others on a Reactor Netty server: at most so many
 * open connections per client address (a further one is closed as it opens), and none
 * kept once nothing arrived on it for the idle timeout. It works below HTTP, so it covers
 * WebSocket sessions after their upgrade as well as plain requests.
 */
public final class ConnectionLimits implements NettyServerCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLimits.class);

	private final int maxConnectionsPerIp;

	private final Duration idleTimeout;

	private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

	private final WarningThrottle<InetAddress> warnings = new WarningThrottle<>(Duration.ofMinutes(1));

	public ConnectionLimits(ConnectionLimitsProperties properties) {
		this.maxConnectionsPerIp = properties.maxConnectionsPerIp();
		this.idleTimeout = properties.idleTimeout();
	}

	@Override
	public HttpServer apply(HttpServer server) {
		// The remote address Reactor Netty passes is null for a server's connections
		return server.doOnChannelInit((observer, channel, remote) -> admit(channel, channel.remoteAddress()));
	}

	/**
	 * How many connections an address holds now.
	 * @param address the client address
	 * @return the count, 0 when none
	 */
	public int openConnections(InetAddress address) {
		return this.open.getOrDefault(address, 0);
	}

	private void admit(Channel channel, SocketAddress remote) {
		if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null) {
			return;
		}
		InetAddress address = socket.getAddress();
		int count = this.open.merge(address, 1, Integer::sum);
		channel.closeFuture().addListener((future) -> release(address));
		if (count > this.maxConnectionsPerIp) {
			warnAboutTooMany(address);
			channel.close();
			return;
		}
		if (!this.idleTimeout.isZero()) {
			channel.pipeline().addFirst("dandelion-idle-timeout", new CloseWhenIdle(this.idleTimeout));
		}
	}

	private void release(InetAddress address) {
		this.open.computeIfPresent(address, (key, count) -> (count <= 1) ? null : count - 1);
	}

	private void warnAboutTooMany(InetAddress address) {
		if (this.warnings.isDue(address)) {
			logger.warn(
					"Closing new connections from {}: it already holds {} (MAX_CONNECTIONS_PER_IP); "
							+ "this is said once a minute per address",
					address.getHostAddress(), this.maxConnectionsPerIp);
		}
	}

	private static final class CloseWhenIdle extends IdleStateHandler {

		CloseWhenIdle(Duration timeout) {
			super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
		}

		@Override
		protected void channelIdle(ChannelHandlerContext context, IdleStateEvent event) {
			context.close();
		}

	}

}
