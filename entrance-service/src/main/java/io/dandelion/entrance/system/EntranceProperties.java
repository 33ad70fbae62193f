package io.dandelion.entrance.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the entrance, bound from {@code entrance.*} (the original's
 * {@code ENTRANCE_*} keys, see {@code io.dandelion.protocol.config.ConfigKey}). Kept in
 * {@code system} until the registry and federation features exist; they may then take
 * nested groups of it.
 *
 * @param ip public IP advertised in OWN_INFO and in the entrance's own WebSocket URL;
 * empty or unset until detection exists
 * @param serverProxyPort port of the TLS proxy in front of the entrance; when set, the
 * own URL is {@code https://IP:PORT/dandelion/ws/}, else
 * {@code http://IP:server.port/dandelion/ws/}
 * @param expireBoxTime time after its last EXCHANGE before a box is dropped
 * @param amountOfBoxesPerRequest maximum number of boxes in a SEARCH reply
 * @param otherUrls other entrances' WebSocket URLs, handed to boxes in EXCHANGE replies
 * @param baseDirectory directory holding the ID file {@code entrance-id.txt}
 */
@ConfigurationProperties("entrance")
@Validated
public record EntranceProperties(String ip, @Min(1) @Max(65535) Integer serverProxyPort,
		@DefaultValue("120s") @NotNull Duration expireBoxTime,
		@DefaultValue("20") @Positive int amountOfBoxesPerRequest, @DefaultValue List<URI> otherUrls,
		@DefaultValue("/tmp") @NotNull Path baseDirectory) {

}
