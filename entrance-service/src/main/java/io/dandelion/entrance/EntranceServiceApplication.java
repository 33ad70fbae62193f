package io.dandelion.entrance;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the entrance-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EntranceServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(EntranceServiceApplication.class, args);
	}

}
