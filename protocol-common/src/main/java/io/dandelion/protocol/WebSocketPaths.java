package io.dandelion.protocol;

import java.util.Locale;
import io.dandelion.protocol.text.UntrustedText;

/**
 * The HTTP and WebSocket paths of the protocol. Every path ends with a slash, as the
 * original's did.
 */
public final class WebSocketPaths {

	/** The entrance's WebSocket, for EXCHANGE from boxes and SEARCH from publishers. */
	public static final String ENTRANCE_WS = "/dandelion/ws/";

	/** The entrance's greeting page, answering {@code HI {entrance-id}}. */
	public static final String ENTRANCE_INDEX = "/dandelion/";

	/**
	 * The WebSocket subprotocol a client asks for to keep its connection open across
	 * requests (a box's heartbeats, a publisher's searches). Without it a server answers
	 * one request and closes, as the original did.
	 */
	public static final String PERSISTENT_SUBPROTOCOL = "dandelion.v2";

	private WebSocketPaths() {
	}

	/**
	 * The scheme a WebSocket client opens for a URL as the wire carries it. The
	 * original's nodes accept and send only {@code http://} and {@code https://} URLs
	 * (their {@code check_is_valid_url}), so the wire says {@code http(s)} and clients
	 * map it: {@code http} and {@code ws} to {@code ws}, {@code https} and {@code wss} to
	 * {@code wss}.
	 * @param scheme the URL's scheme, in any case
	 * @return {@code ws} or {@code wss}
	 * @throws IllegalArgumentException for any other scheme
	 */
	public static String webSocketScheme(String scheme) {
		return switch ((scheme != null) ? scheme.toLowerCase(Locale.ROOT) : "") {
			case "http", "ws" -> "ws";
			case "https", "wss" -> "wss";
			default -> throw new IllegalArgumentException("A WebSocket URL must be http, https, ws or wss, not "
					+ UntrustedText.quote(String.valueOf(scheme)));
		};
	}

	/**
	 * The scheme the wire carries for a WebSocket reached with or without TLS.
	 * @param secure whether the URL goes through TLS
	 * @return {@code https} or {@code http}
	 */
	public static String wireScheme(boolean secure) {
		return secure ? "https" : "http";
	}

	/**
	 * The box's WebSocket for publishers: {@code /dandelion/{box-id}/ws/}.
	 * @param boxId the box's ID
	 * @return the path
	 */
	public static String boxWebSocket(String boxId) {
		return boxIndex(boxId) + "ws/";
	}

	/**
	 * The box's greeting page: {@code /dandelion/{box-id}/}.
	 * @param boxId the box's ID
	 * @return the path
	 */
	public static String boxIndex(String boxId) {
		return "/dandelion/" + boxId + "/";
	}

}
