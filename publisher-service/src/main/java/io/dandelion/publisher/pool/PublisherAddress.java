package io.dandelion.publisher.pool;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.dandelion.publisher.config.PublisherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The IP the publisher reports in SEARCH and PUBLISH: {@code PUBLISHER_IP}, else the
 * host's own address (the original asked web services; entrances place the publisher by
 * the address its connection comes from when this one is private).
 */
@Component
class PublisherAddress {

	private static final Logger logger = LoggerFactory.getLogger(PublisherAddress.class);

	private final String ip;

	PublisherAddress(PublisherProperties properties) {
		this.ip = (properties.ip() != null && !properties.ip().isBlank()) ? properties.ip().trim() : detect();
	}

	private static String detect() {
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
			// Entrances then place the publisher by the address its connection comes from
			logger.warn("Cannot tell this host's address, reporting 0.0.0.0 (set PUBLISHER_IP): {}", ex.toString());
			return "0.0.0.0";
		}
	}

	/**
	 * The reported IP.
	 * @return the address
	 */
	public String ip() {
		return this.ip;
	}

}
