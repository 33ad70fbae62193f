package io.dandelion.agent;

import io.dandelion.agent.config.BoxConfigKeys;
import io.dandelion.agent.serving.NginxConfigPrinter;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ServiceRole;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the box-agent.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@ServiceRole(value = Role.BOX, keys = BoxConfigKeys.class)
public class BoxAgentApplication {

	public static void main(String[] args) {
		if (NginxConfigPrinter.isRequested(args)) {
			NginxConfigPrinter.print(args, System.out);
			return;
		}
		SpringApplication.run(BoxAgentApplication.class, args);
	}

}
