package io.dandelion.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The golden messages of the original system, copied from the shared fixtures into test
 * resources.
 */
final class WireFixtures {

	private WireFixtures() {
	}

	static String text(String name) {
		return new String(bytes(name), StandardCharsets.UTF_8);
	}

	static byte[] bytes(String name) {
		try (InputStream in = WireFixtures.class.getResourceAsStream("/fixtures/wire/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
