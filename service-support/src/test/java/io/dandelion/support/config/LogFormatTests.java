package io.dandelion.support.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.identity.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code LOG_FORMAT} switches a service's console log between Spring Boot's text lines
 * and one JSON object a line: a real application started with the key in its
 * configuration file, logging through SLF4J as the services do.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogFormatTests {

	private static final Logger logger = LoggerFactory.getLogger(LogFormatTests.class);

	@TempDir
	Path directory;

	@Test
	void shouldLogOneJsonObjectALineWhenTheFormatIsJson(CapturedOutput output) throws IOException {
		String marker = "json-" + UUID.randomUUID();
		logInAnApplication("LOG_FORMAT: json\n", marker);
		String line = lineWith(output, marker);
		JsonNode event = new ObjectMapper().readTree(line);
		assertThat(event.isObject()).as(line).isTrue();
		assertThat(event.at("/log/level").asText()).as(line).isEqualTo("WARN");
		assertThat(event.at("/log/logger").asText()).as(line).isEqualTo(LogFormatTests.class.getName());
		assertThat(event.get("message").asText()).as(line).isEqualTo("Something happened: " + marker);
		assertThat(event.get("@timestamp").asText()).as(line).isNotBlank();
	}

	@Test
	void shouldLogTextLinesWhenTheFormatIsText(CapturedOutput output) throws IOException {
		String marker = "text-" + UUID.randomUUID();
		logInAnApplication("LOG_FORMAT: TEXT\n", marker);
		String line = lineWith(output, marker);
		assertThat(line).doesNotStartWith("{")
			.contains(" WARN ")
			.contains("LogFormatTests")
			.endsWith("Something happened: " + marker);
	}

	@Test
	void shouldRefuseAFormatItDoesNotKnow() throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), "LOG_FORMAT: xml\n");
		assertThatThrownBy(() -> application().run("--config=" + file)).isInstanceOf(ConfigFileException.class)
			.hasMessageContainingAll("LOG_FORMAT", "one of text, json", "'xml'");
	}

	/**
	 * Text logs again for the tests that run after these in the same JVM: Spring Boot
	 * keeps the structured format in a system property, which outlives the application.
	 */
	@AfterEach
	void restoreTextLogs() throws IOException {
		System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
		System.clearProperty("FILE_LOG_STRUCTURED_FORMAT");
		Path file = Files.writeString(this.directory.resolve("text.yaml"), "LOG_FORMAT: text\n");
		application().run("--config=" + file).close();
	}

	private void logInAnApplication(String config, String marker) throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), config);
		try (ConfigurableApplicationContext context = application().run("--config=" + file)) {
			logger.warn("Something happened: {}", marker);
		}
	}

	private static String lineWith(CapturedOutput output, String marker) {
		List<String> lines = output.getOut().lines().filter((line) -> line.contains(marker)).toList();
		assertThat(lines).as("lines logged with %s", marker).hasSize(1);
		return lines.get(0).strip();
	}

	private static SpringApplication application() {
		SpringApplication application = new SpringApplication(BoxApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	@ServiceRole(Role.BOX)
	static class BoxApplication {

	}

}
