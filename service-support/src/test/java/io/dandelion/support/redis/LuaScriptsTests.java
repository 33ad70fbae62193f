package io.dandelion.support.redis;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuaScriptsTests {

	@Test
	void shouldHoldTheScriptsTextAndNotAskTheResourceAgain() {
		RedisScript<String> script = LuaScripts.fromClasspath("scripts/echo-for-test.lua", String.class);

		assertThat(script.getScriptAsString()).isEqualTo("return ARGV[1]\n");
		// SHA-1 of the text, fixed at creation: a resource-backed script would check
		// the resource on each call
		assertThat(script.getSha1()).isEqualTo("7b6725f104881a8808d417a4dcbc8417fa455fe4");
		assertThat(script.getResultType()).isEqualTo(String.class);
	}

	@Test
	void shouldNameAScriptItCannotRead() {
		assertThatThrownBy(() -> LuaScripts.fromClasspath("scripts/missing.lua", Long.class))
			.isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("scripts/missing.lua");
	}

}
