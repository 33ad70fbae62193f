package io.dandelion.agent.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the box, bound from {@code box.*} (the original's {@code BOX_*} keys, see
 * {@code io.dandelion.protocol.config.ConfigKey}). Kept in {@code system} until the
 * heartbeat and storage features exist; they may then take nested groups of it.
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
 */
@ConfigurationProperties("box")
@Validated
public record BoxProperties(@DefaultValue("0.0.0.0") @NotBlank String serverIp, String clientIp,
		@Min(1) @Max(65535) Integer serverProxyPort, @DefaultValue("/tmp") @NotNull Path baseDirectory,
		@DefaultValue("5s") @NotNull Duration pingEntranceFreq, @DefaultValue List<URI> entranceUrls) {

}
