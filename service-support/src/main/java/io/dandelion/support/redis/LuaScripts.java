package io.dandelion.support.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Lua scripts kept beside the code in {@code src/main/resources}, read once. A script
 * made from a {@code Resource} asks it on every execution whether it changed, which for a
 * resource inside the service's jar opens a jar URL connection per call: on a heartbeat's
 * path that cost more than the script.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * A script read from the class path.
	 * @param <T> what it returns
	 * @param location its path on the class path, e.g. {@code scripts/save-exchange.lua}
	 * @param resultType what it returns
	 * @return the script, with its text and SHA-1 fixed
	 * @throws UncheckedIOException when it cannot be read (a packaging fault)
	 */
	public static <T> RedisScript<T> fromClasspath(String location, Class<T> resultType) {
		try (InputStream in = new ClassPathResource(location).getInputStream()) {
			return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Lua script " + location, ex);
		}
	}

}
