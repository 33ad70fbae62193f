package io.dandelion.entrance.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.registry.BoxRepository.SaveOutcome;
import io.dandelion.entrance.registry.RegistrationLimits;
import io.dandelion.entrance.trust.CredentialRepository.TimeCheck;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credential store and its two guards: an {@code AUTH_TIME} is accepted once, later
 * than the one before, and only while the credential it was checked against is on record;
 * a heartbeat is stored only while the credential it proved (or none, for an unsigned
 * one) is on record, so that a revocation or a newly issued credential wins over a
 * request in flight.
 */
@SpringBootTest
@WithTestRedis
class CredentialRepositoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Autowired
	private CredentialRepository credentials;

	@Autowired
	private BoxRepository boxes;

	@Autowired
	private RedisKeys keys;

	@Test
	void shouldIssueACredentialOnceAndKeepTheFirst() {
		NodeCredential first = NodeCredential.random(NodeId.random(Role.BOX));
		NodeCredential second = NodeCredential.random(first.id());
		assertThat(this.credentials.issue(first).block(TIMEOUT)).isTrue();
		assertThat(this.credentials.issue(second).block(TIMEOUT)).isFalse();
		assertThat(this.credentials.find(first.id().value()).block(TIMEOUT)).isEqualTo(first);
		assertThat(
				this.credentials.findAll(List.of(first.id().value(), NodeId.random(Role.BOX).value())).block(TIMEOUT))
			.isEqualTo(Map.of(first.id().value(), first));
		assertThat(this.credentials.ids().collectList().block(TIMEOUT)).contains(first.id().value()).isSorted();
	}

	@Test
	void shouldAcceptOnlyLaterTimesWhileTheCheckedCredentialIsOnRecord() {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));
		String id = credential.id().value();
		this.credentials.issue(credential).block(TIMEOUT);
		long time = Instant.now().toEpochMilli();
		assertThat(accept(credential, time)).isEqualTo(TimeCheck.ACCEPTED);
		assertThat(accept(credential, time)).isEqualTo(TimeCheck.NOT_LATER);
		assertThat(accept(credential, time - 1)).isEqualTo(TimeCheck.NOT_LATER);
		assertThat(accept(NodeCredential.random(credential.id()), time + 1)).isEqualTo(TimeCheck.CREDENTIAL_CHANGED);
		assertThat(redis().hget(this.keys.authTimes(), id)).isEqualTo(Long.toString(time));
		assertThat(accept(credential, time + 1)).isEqualTo(TimeCheck.ACCEPTED);

		assertThat(this.credentials.revoke(id).block(TIMEOUT)).isTrue();
		assertThat(redis().hget(this.keys.authTimes(), id)).isNull();
		assertThat(accept(credential, time + 2)).isEqualTo(TimeCheck.CREDENTIAL_CHANGED);
		assertThat(redis().hget(this.keys.authTimes(), id)).isNull();
		assertThat(this.credentials.revoke(id).block(TIMEOUT)).isFalse();
	}

	@Test
	void shouldAcceptATimeOnceWhenItArrivesManyTimesAtOnce() {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.BOX));
		this.credentials.issue(credential).block(TIMEOUT);
		long time = Instant.now().toEpochMilli();
		List<TimeCheck> checks = Flux.range(0, 64)
			.flatMap((i) -> this.credentials.acceptTime(credential, time), 64)
			.collectList()
			.block(TIMEOUT);
		assertThat(checks).filteredOn(TimeCheck.ACCEPTED::equals).hasSize(1);
		assertThat(checks).filteredOn(TimeCheck.NOT_LATER::equals).hasSize(63);
	}

	@Test
	void shouldStoreAHeartbeatOnlyWhileTheCredentialItProvedIsOnRecord() {
		NodeCredential proven = NodeCredential.random(NodeId.random(Role.BOX));
		String boxId = proven.id().value();
		ExchangeRequest heartbeat = ExchangeRequest.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/",
				BoxMetrics.NONE);
		Instant now = Instant.now();
		// Unsigned, for a box without a credential (compatible mode): stored
		assertThat(save(heartbeat, now, null)).isTrue();
		this.credentials.issue(proven).block(TIMEOUT);
		// Unsigned, checked before the credential was issued: not stored over it
		Map<String, String> before = redis().hgetall(this.keys.exchange(boxId));
		assertThat(save(heartbeat.withExtra(Map.of("SEQ", "2")), now.plusSeconds(1), null)).isFalse();
		assertThat(
				save(heartbeat.withExtra(Map.of("SEQ", "2")), now.plusSeconds(1), NodeCredential.random(proven.id())))
			.isFalse();
		assertThat(redis().hgetall(this.keys.exchange(boxId))).isEqualTo(before);
		assertThat(save(heartbeat.withExtra(Map.of("SEQ", "3")), now.plusSeconds(2), proven)).isTrue();
		assertThat(redis().hget(this.keys.exchange(boxId), "SEQ")).isEqualTo("3");

		// Revoked while a heartbeat was in flight: the box is dropped and stays dropped
		this.credentials.revoke(boxId).block(TIMEOUT);
		assertThat(this.boxes.drop(boxId).block(TIMEOUT)).isTrue();
		assertThat(save(heartbeat.withExtra(Map.of("SEQ", "4")), now.plusSeconds(3), proven)).isFalse();
		assertThat(redis().exists(this.keys.exchange(boxId))).isZero();
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNull();
		assertThat(this.boxes.drop(boxId).block(TIMEOUT)).isFalse();
	}

	private TimeCheck accept(NodeCredential credential, long time) {
		return this.credentials.acceptTime(credential, time).block(TIMEOUT);
	}

	private boolean save(ExchangeRequest heartbeat, Instant now, NodeCredential provenWith) {
		return this.boxes.save(heartbeat, now, Duration.ofMinutes(2), "127.0.2.10", provenWith, RegistrationLimits.NONE)
			.block(TIMEOUT) == SaveOutcome.STORED;
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
