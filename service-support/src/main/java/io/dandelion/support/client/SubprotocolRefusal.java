package io.dandelion.support.client;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;

/**
 * Recognises a peer that refused the WebSocket subprotocol a client asked for. The
 * original's nodes accept no subprotocol at all, and Netty fails the handshake when a
 * requested one is not echoed; a client then asks again without it and speaks the
 * original's protocol on that connection.
 */
public final class SubprotocolRefusal {

	private SubprotocolRefusal() {
	}

	/**
	 * Whether a connection failed because the server did not take the requested
	 * subprotocol.
	 * @param ex why the connection failed
	 * @return true for a subprotocol refusal
	 */
	public static boolean isRefusal(Throwable ex) {
		return ex instanceof WebSocketClientHandshakeException && ex.getMessage() != null
				&& ex.getMessage().contains("subprotocol");
	}

}
