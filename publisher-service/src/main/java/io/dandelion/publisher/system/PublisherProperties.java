package io.dandelion.publisher.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the publisher, bound from {@code publisher.*} (the original's
 * {@code PUBLISHER_*} keys, see {@code io.dandelion.protocol.config.ConfigKey}). Kept in
 * {@code system} until the search and peer-pool features exist; they may then take nested
 * groups of it.
 *
 * @param ip IP the publisher reports in SEARCH and PUBLISH; empty or unset means detect
 * it
 * @param minHttpPeers number of boxes the publisher connects to (in effect a maximum, as
 * in the original)
 * @param pingEntranceFreq time between two SEARCH requests sent to each entrance
 * @param entranceUrls the entrances' WebSocket URLs to search for boxes
 * @param baseDirectory directory holding the ID file {@code publisher-id.txt}
 */
@ConfigurationProperties("publisher")
@Validated
public record PublisherProperties(String ip, @DefaultValue("20") @Positive int minHttpPeers,
		@DefaultValue("10s") @NotNull Duration pingEntranceFreq, @DefaultValue List<URI> entranceUrls,
		@DefaultValue("/tmp") @NotNull Path baseDirectory) {

}
