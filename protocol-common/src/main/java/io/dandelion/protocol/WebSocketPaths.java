package io.dandelion.protocol;

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
