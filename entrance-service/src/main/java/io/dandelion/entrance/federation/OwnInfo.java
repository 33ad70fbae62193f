package io.dandelion.entrance.federation;

import java.util.Objects;

/**
 * How this entrance describes itself to boxes and publishers: the original's
 * {@code OWN_INFO} hash and its own WebSocket URL.
 *
 * @param id the entrance's ID
 * @param ip the advertised address
 * @param port the advertised port (the TLS proxy's when there is one)
 * @param url the advertised WebSocket URL, e.g.
 * {@code http://198.51.100.1:7071/dandelion/ws/}
 */
public record OwnInfo(String id, String ip, int port, String url) {

	public OwnInfo {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
		Objects.requireNonNull(url, "url");
	}

}
