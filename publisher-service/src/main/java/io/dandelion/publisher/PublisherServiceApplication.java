package io.dandelion.publisher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the publisher-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PublisherServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PublisherServiceApplication.class, args);
	}

}
