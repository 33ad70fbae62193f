package io.dandelion.entrance;

import io.dandelion.entrance.config.EntranceConfigKeys;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ServiceRole;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the entrance-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@ServiceRole(value = Role.ENTRANCE, keys = EntranceConfigKeys.class)
public class EntranceServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(EntranceServiceApplication.class, args);
	}

}
