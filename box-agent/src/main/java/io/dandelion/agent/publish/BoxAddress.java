package io.dandelion.agent.publish;

import io.dandelion.agent.system.BoxProperties;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * How the box names itself to publishers: its ID, the advertised IP
 * ({@code BOX_CLIENT_IP} if set, else {@code BOX_SERVER_IP}) and the advertised port (the
 * proxy port if set, else the port the web server really listens on).
 */
@Component
class BoxAddress implements ApplicationListener<WebServerInitializedEvent> {

	private final NodeId nodeId;

	private final BoxProperties properties;

	private volatile int serverPort;

	BoxAddress(NodeId nodeId, BoxProperties properties, ServerProperties server) {
		this.nodeId = nodeId;
		this.properties = properties;
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
		return this.properties.advertisedIp();
	}

	int port() {
		Integer proxyPort = this.properties.serverProxyPort();
		return (proxyPort != null) ? proxyPort : this.serverPort;
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
