package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.file.Path;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Serving in builtin mode: the box's own Reactor Netty server on a random loopback port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "box.server-ip=127.0.0.1", "box.serving.file-server=builtin",
				"box.serving.data-port=0" })
@WithTestRedis
class BuiltinFileServerTests extends AbstractFileServingTests {

	private static final Path base = FileServingTestSupport.createTempDirectory("box-builtin").resolve("store");

	@Autowired
	private BuiltinFileServer server;

	private static final NodeCredential credential = TestTrust.boxCredential();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, credential);
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		deleteKeys(base);
	}

	@Override
	Path base() {
		return base;
	}

	@Override
	NodeCredential credential() {
		return credential;
	}

	@Override
	int dataPort() {
		return this.server.port();
	}

}
