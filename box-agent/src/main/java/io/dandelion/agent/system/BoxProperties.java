package io.dandelion.agent.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the box, bound from {@code box.*} (the original's {@code BOX_*} keys, see
 * {@code io.dandelion.protocol.config.ConfigKey}). Features take their settings from
 * nested groups of it.
 *
 * @param serverIp IP the box reports in its replies; {@code BOX_SERVER_IP} also sets
 * {@code server.address}, the address the box binds to
 * @param clientIp static public IP of the box; empty or unset means detect it
 * @param serverProxyPort port of the TLS proxy in front of the box, advertised instead of
 * {@code server.port} when set
 * @param baseDirectory root of the stored files and home of the ID file
 * {@code box-id.txt}
 * @param pingEntranceFreq time between two EXCHANGE heartbeats sent to each entrance
 * @param entranceUrls the entrances' WebSocket URLs to register with first
 * @param heartbeat how the box keeps in touch with entrances
 * @param sysinfo what the box says about its host
 * @param traffic how the box accounts for what its file server sent
 */
@ConfigurationProperties("box")
@Validated
public record BoxProperties(@DefaultValue("0.0.0.0") @NotBlank String serverIp, String clientIp,
		@Min(1) @Max(65535) Integer serverProxyPort, @DefaultValue("/tmp") @NotNull Path baseDirectory,
		@DefaultValue("5s") @NotNull Duration pingEntranceFreq, @DefaultValue List<URI> entranceUrls,
		@DefaultValue @Valid Heartbeat heartbeat, @DefaultValue @Valid Sysinfo sysinfo,
		@DefaultValue @Valid Traffic traffic) {

	/**
	 * The access log to read: {@code traffic.access-log} when set, else
	 * {@code <base-directory>/run/access.log}.
	 * @return the path of the access log
	 */
	public Path accessLog() {
		return (this.traffic.accessLog() != null) ? this.traffic.accessLog()
				: this.baseDirectory.resolve("run").resolve("access.log");
	}

	/**
	 * How the box keeps in touch with entrances.
	 *
	 * @param replyTimeout how long to wait for an entrance's answer to one EXCHANGE, and
	 * to connect
	 * @param backoffMin the first delay after a failed heartbeat; it doubles with each
	 * further failure
	 * @param backoffMax the longest delay between two attempts on an unreachable entrance
	 * @param forgetLearntAfter how long an entrance learnt from a reply may stay
	 * unreachable before it is forgotten (configured entrances are never forgotten)
	 * @param subprotocolRetry how long to use one connection per heartbeat with an
	 * entrance that did not accept the persistent subprotocol, before asking again
	 */
	public record Heartbeat(@DefaultValue("10s") @NotNull Duration replyTimeout,
			@DefaultValue("1s") @NotNull Duration backoffMin, @DefaultValue("30s") @NotNull Duration backoffMax,
			@DefaultValue("10m") @NotNull Duration forgetLearntAfter,
			@DefaultValue("5m") @NotNull Duration subprotocolRetry) {

	}

	/**
	 * What the box says about its host.
	 *
	 * @param uplinkMbps upload capacity of the household's Internet connection in Mbit/s,
	 * reported as {@code UPLINK-MBPS}
	 */
	public record Sysinfo(@DefaultValue("10") @Positive double uplinkMbps) {

	}

	/**
	 * How the box accounts for what its file server sent.
	 *
	 * @param accessLog the file server's access log; unset means
	 * {@code <base-directory>/run/access.log}
	 * @param pollInterval time between two looks at the access log
	 * @param batchSize the most traffic entries carried by one EXCHANGE
	 * @param maxPending the most entries kept waiting for an entrance; the oldest are
	 * dropped beyond it
	 */
	public record Traffic(Path accessLog, @DefaultValue("1s") @NotNull Duration pollInterval,
			@DefaultValue("500") @Min(1) @Max(10000) int batchSize, @DefaultValue("100000") @Min(1) int maxPending) {

	}

}
