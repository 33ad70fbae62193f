package io.dandelion.protocol.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisKeysTests {

	private static final String BOX = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	private static final String ENTRANCE = "entrance-9a8b7c6d5e4f40312a1b2c3d4e5f6a7b";

	private static final String PUBLISHER = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	/**
	 * The names the original's own tools use: {@code FileManager.push} pushes to
	 * {@code publisher-…:FILE:FILES_SENDING_QUEUE}, {@code ask} reads
	 * {@code publisher-…:FILE:PROCESSED_FILES:{path}} and
	 * {@code publisher-…:SEARCH:{box}}.
	 */
	@Test
	void shouldBuildTheOriginalsDocumentedNames() {
		RedisKeys entrance = new RedisKeys(ENTRANCE, RedisKeyLayout.ORIGINAL);
		assertThat(entrance.boxSet()).isEqualTo(ENTRANCE + ":BOX_SET");
		assertThat(entrance.exchange(BOX)).isEqualTo(ENTRANCE + ":EXCHANGE:" + BOX);
		assertThat(entrance.ownInfo()).isEqualTo(ENTRANCE + ":OWN_INFO");
		assertThat(entrance.entranceUrls()).isEqualTo(ENTRANCE + ":ENTRANCE_URLS");
		RedisKeys box = new RedisKeys(BOX, RedisKeyLayout.ORIGINAL);
		assertThat(box.selfExchange()).isEqualTo(BOX + ":SELF_EXCHANGE");
		assertThat(box.expireFiles()).isEqualTo(BOX + ":EXPIRE_FILES");
		assertThat(box.trafficFlow("log-1")).isEqualTo(BOX + ":TRAFFIC_FLOW:log-1");
		RedisKeys publisher = new RedisKeys(PUBLISHER, RedisKeyLayout.ORIGINAL);
		assertThat(publisher.filesSendingQueue()).isEqualTo(PUBLISHER + ":FILE:FILES_SENDING_QUEUE");
		assertThat(publisher.processedFiles("/tmp/a.ts")).isEqualTo(PUBLISHER + ":FILE:PROCESSED_FILES:/tmp/a.ts");
		assertThat(publisher.search(BOX)).isEqualTo(PUBLISHER + ":SEARCH:" + BOX);
		assertThat(publisher.boxRanking()).isEqualTo(PUBLISHER + ":BOX_RANKING");
	}

	@Test
	void shouldWriteTheIdAsAHashTagInTheClusterLayout() {
		RedisKeys entrance = new RedisKeys(ENTRANCE, RedisKeyLayout.CLUSTER);
		assertThat(entrance.boxSet()).isEqualTo("{" + ENTRANCE + "}:BOX_SET");
		assertThat(entrance.exchange(BOX)).isEqualTo("{" + ENTRANCE + "}:EXCHANGE:" + BOX);
		assertThat(entrance.ownInfo()).isEqualTo("{" + ENTRANCE + "}:OWN_INFO");
		assertThat(entrance.entranceUrls()).isEqualTo("{" + ENTRANCE + "}:ENTRANCE_URLS");
		assertThat(entrance.credentials()).isEqualTo("{" + ENTRANCE + "}:CREDENTIALS");
		assertThat(entrance.authTimes()).isEqualTo("{" + ENTRANCE + "}:AUTH_TIMES");
		assertThat(entrance.reports(BOX)).isEqualTo("{" + ENTRANCE + "}:REPORTS:" + BOX);
		assertThat(entrance.reporters(BOX)).isEqualTo("{" + ENTRANCE + "}:REPORTERS:" + BOX);
		assertThat(entrance.probe(BOX)).isEqualTo("{" + ENTRANCE + "}:PROBE:" + BOX);
		assertThat(entrance.probeLease(BOX)).isEqualTo("{" + ENTRANCE + "}:PROBE_LEASE:" + BOX);
		assertThat(entrance.suspendedBoxes()).isEqualTo("{" + ENTRANCE + "}:SUSPENDED_BOXES");
		assertThat(entrance.dashboardSamples()).isEqualTo("{" + ENTRANCE + "}:DASHBOARD_SAMPLES");
		assertThat(entrance.exchangesAccepted()).isEqualTo("{" + ENTRANCE + "}:EXCHANGES_ACCEPTED");
		RedisKeys box = new RedisKeys(BOX, RedisKeyLayout.CLUSTER);
		assertThat(box.selfExchange()).isEqualTo("{" + BOX + "}:SELF_EXCHANGE");
		assertThat(box.expireFiles()).isEqualTo("{" + BOX + "}:EXPIRE_FILES");
		assertThat(box.trafficFlow("log-1")).isEqualTo("{" + BOX + "}:TRAFFIC_FLOW:log-1");
		assertThat(box.trafficPending()).isEqualTo("{" + BOX + "}:TRAFFIC_PENDING");
		assertThat(box.trafficLogPosition()).isEqualTo("{" + BOX + "}:TRAFFIC_LOG_POSITION");
		RedisKeys publisher = new RedisKeys(PUBLISHER, RedisKeyLayout.CLUSTER);
		assertThat(publisher.search(BOX)).isEqualTo("{" + PUBLISHER + "}:SEARCH:" + BOX);
		assertThat(publisher.boxRanking()).isEqualTo("{" + PUBLISHER + "}:BOX_RANKING");
		assertThat(publisher.filesSendingQueue()).isEqualTo("{" + PUBLISHER + "}:FILE:FILES_SENDING_QUEUE");
		assertThat(publisher.filesProcessing()).isEqualTo("{" + PUBLISHER + "}:FILE:PROCESSING");
		assertThat(publisher.fileState("/tmp/a.ts")).isEqualTo("{" + PUBLISHER + "}:FILE:STATE:/tmp/a.ts");
		assertThat(publisher.fileReplicas("/tmp/a.ts")).isEqualTo("{" + PUBLISHER + "}:FILE:REPLICAS:/tmp/a.ts");
		assertThat(publisher.boxFiles(BOX)).isEqualTo("{" + PUBLISHER + "}:BOX_FILES:" + BOX);
		assertThat(publisher.processedFiles("/tmp/a.ts"))
			.isEqualTo("{" + PUBLISHER + "}:FILE:PROCESSED_FILES:/tmp/a.ts");
	}

	@ParameterizedTest
	@EnumSource(RedisKeyLayout.class)
	void shouldStartEveryKeyWithThePrefix(RedisKeyLayout layout) {
		RedisKeys keys = new RedisKeys(ENTRANCE, layout);
		assertThat(keys.trafficTotals(BOX)).startsWith(keys.prefix());
		assertThat(keys.trafficSeen(BOX)).startsWith(keys.prefix());
		assertThat(keys.trafficHistory(BOX)).startsWith(keys.prefix());
		assertThat(keys.entranceHealth()).startsWith(keys.prefix());
		assertThat(keys.reports(BOX)).startsWith(keys.prefix()).endsWith(":REPORTS:" + BOX);
		assertThat(keys.reporters(BOX)).startsWith(keys.prefix()).endsWith(":REPORTERS:" + BOX);
		assertThat(keys.probe(BOX)).startsWith(keys.prefix()).endsWith(":PROBE:" + BOX);
		assertThat(keys.probeLease(BOX)).startsWith(keys.prefix()).endsWith(":PROBE_LEASE:" + BOX);
		assertThat(keys.suspendedBoxes()).startsWith(keys.prefix()).endsWith(":SUSPENDED_BOXES");
		assertThat(keys.prefix()).contains(ENTRANCE);
	}

	@Test
	void shouldRefuseAnIdThatWouldBreakTheHashTagOrTheSeparator() {
		for (RedisKeyLayout layout : RedisKeyLayout.values()) {
			assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("a}b", layout));
			assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("a:b", layout));
			assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("", layout));
		}
	}

}
