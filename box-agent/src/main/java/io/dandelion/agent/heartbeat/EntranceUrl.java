package io.dandelion.agent.heartbeat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

import io.dandelion.protocol.WebSocketPaths;

/**
 * An entrance's WebSocket address. The original wrote them as {@code http(s)://} URLs; a
 * WebSocket client needs {@code ws(s)://}, so {@code http} becomes {@code ws} and
 * {@code https} becomes {@code wss}.
 *
 * @param uri the {@code ws} or {@code wss} URI
 */
record EntranceUrl(URI uri) {

	EntranceUrl {
		Objects.requireNonNull(uri, "uri");
	}

	/**
	 * Reads a configured or learnt URL.
	 * @param text e.g. {@code https://198.51.100.1:7070/dandelion/ws/}
	 * @return the WebSocket URL
	 * @throws IllegalArgumentException when it is not an absolute http, https, ws or wss
	 * URL with a host
	 */
	static EntranceUrl parse(String text) {
		URI uri;
		try {
			uri = new URI(text.strip());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Not a URL: " + ex.getMessage(), ex);
		}
		String webSocketScheme;
		try {
			webSocketScheme = WebSocketPaths.webSocketScheme(uri.getScheme());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("An entrance URL must be http, https, ws or wss: " + text, ex);
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("An entrance URL needs a host: " + text);
		}
		try {
			return new EntranceUrl(new URI(webSocketScheme, uri.getUserInfo(), uri.getHost(), uri.getPort(),
					(uri.getPath() == null || uri.getPath().isEmpty()) ? "/" : uri.getPath(), uri.getQuery(), null));
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Not a URL: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return this.uri.toString();
	}

}
