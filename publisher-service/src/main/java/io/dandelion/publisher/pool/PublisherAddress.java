package io.dandelion.publisher.pool;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.dandelion.publisher.config.PublisherProperties;

import org.springframework.stereotype.Component;

/**
 * The IP the publisher reports in SEARCH and PUBLISH: {@code PUBLISHER_IP}, else the
 * host's own address (the original asked web services; entrances place the publisher by
 * the address its connection comes from when this one is private).
 */
@Component
public class PublisherAddress {

	private final String ip;

	PublisherAddress(PublisherProperties properties) {
		this.ip = (properties.ip() != null && !properties.ip().isBlank()) ? properties.ip().trim() : detect();
	}

	private static String detect() {
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
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
