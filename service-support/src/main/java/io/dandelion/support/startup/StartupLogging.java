package io.dandelion.support.startup;

import java.util.Locale;

import io.dandelion.support.config.ConfigFile;
import io.dandelion.protocol.identity.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Logs, once started, the one line an operator needs: role, ID, bind address, HTTP port
 * and configuration file, e.g. {@code Box box-3f2a… listening on 0.0.0.0 port 7071
 * (configuration: /etc/dandelion/config.yaml)}.
 */
class StartupLogging implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(StartupLogging.class);

	private final NodeId nodeId;

	private final ServerProperties server;

	private final Environment environment;

	StartupLogging(NodeId nodeId, ServerProperties server, Environment environment) {
		this.nodeId = nodeId;
		this.server = server;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		int port = (event.getApplicationContext() instanceof WebServerApplicationContext web)
				? web.getWebServer().getPort() : -1;
		String address = (this.server.getAddress() != null) ? this.server.getAddress().getHostAddress() : "0.0.0.0";
		logger.info("{} {} listening on {} port {} (configuration: {})", roleName(), this.nodeId, address, port,
				this.environment.getProperty(ConfigFile.SOURCE_PROPERTY, "built-in defaults"));
	}

	/** {@code Box}, {@code Entrance} or {@code Publisher}. */
	private String roleName() {
		return StringUtils.capitalize(this.nodeId.role().name().toLowerCase(Locale.ROOT));
	}

}
