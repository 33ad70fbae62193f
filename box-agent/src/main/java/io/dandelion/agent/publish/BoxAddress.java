package io.dandelion.agent.publish;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * How the box names itself to publishers: its ID and the {@link PublicAddress} its
 * heartbeats advertise, with the port the web server really listens on (or the proxy's).
 */
@Component
class BoxAddress implements ApplicationListener<WebServerInitializedEvent> {

	private final NodeId nodeId;

	private final PublicAddress address;

	private volatile int serverPort;

	BoxAddress(NodeId nodeId, PublicAddress address, ServerProperties server) {
		this.nodeId = nodeId;
		this.address = address;
		this.serverPort = (server.getPort() != null) ? server.getPort() : 8080;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		this.serverPort = event.getWebServer().getPort();
	}

	String id() {
		return this.nodeId.value();
	}

	String ip() {
		return this.address.ip();
	}

	int port() {
		return this.address.port(this.serverPort);
	}

	/**
	 * An error reply from this box.
	 * @param error the human-readable reason
	 * @param errorCode the machine-readable reason
	 * @return the reply
	 */
	ErrorReply error(String error, String errorCode) {
		return new ErrorReply(id(), ip(), port(), Role.BOX.wireType(), error, errorCode, null);
	}

}
