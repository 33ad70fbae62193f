package io.dandelion.publisher;

import io.dandelion.publisher.config.PublisherConfigKeys;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ServiceRole;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the publisher-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@ServiceRole(value = Role.PUBLISHER, keys = PublisherConfigKeys.class)
public class PublisherServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PublisherServiceApplication.class, args);
	}

}
