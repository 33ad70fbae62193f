package io.dandelion.publisher.audience;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.testing.MutableClock;
import io.dandelion.publisher.config.PublisherProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ViewerAudienceTests {

	private static final GeoLocation FRANKFURT = place(50.1109, 8.6821);

	private static final GeoLocation NEW_YORK = place(40.7128, -74.0060);

	private static final GeoLocation TAIPEI = place(25.0330, 121.5654);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));

	private final ViewerAudience audience = new ViewerAudience(settings(true), this.clock);

	@Test
	void shouldNameNobodyBeforeAnyViewer() {
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.audience.regions()).isEmpty();
		assertThat(this.audience.current().recentRequests()).isZero();
	}

	@Test
	void shouldNameTheCellsOfTheViewersWithTheirShares() {
		record(FRANKFURT, 20);
		record(NEW_YORK, 10);
		this.clock.advance(Duration.ofSeconds(1));
		List<AudienceShare> regions = this.audience.regions();
		assertThat(regions).hasSize(2);
		// The centre of the one-degree cell: 50-51 N, 8-9 E
		assertThat(regions.get(0)).isEqualTo(new AudienceShare(50.5, 8.5, 0.667));
		assertThat(regions.get(1)).isEqualTo(new AudienceShare(40.5, -74.5, 0.333));
		assertThat(this.audience.current().recentRequests()).isEqualTo(30);
	}

	@Test
	void shouldForgetOldViewersByTheHalfLifeAndFollowTheAudienceAsItMoves() {
		record(TAIPEI, 100);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.audience.regions()).extracting(AudienceShare::share).containsExactly(1.0);
		// Two half-lives later, 25 of Taipei's 100 are left, against 75 new in Frankfurt
		this.clock.advance(Duration.ofMinutes(20));
		record(FRANKFURT, 75);
		this.clock.advance(Duration.ofSeconds(1));
		List<AudienceShare> regions = this.audience.regions();
		assertThat(regions.get(0).latitude()).isEqualTo(50.5);
		assertThat(regions.get(0).share()).isCloseTo(0.75, within(0.005));
		assertThat(regions.get(1).share()).isCloseTo(0.25, within(0.005));
		// Much later, Taipei drops under the smallest share named
		this.clock.advance(Duration.ofMinutes(60));
		record(FRANKFURT, 75);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.audience.regions()).extracting(AudienceShare::latitude).containsExactly(50.5);
	}

	@Test
	void shouldNameAtMostTheLargestRegionsWithEnoughShare() {
		for (int cell = 0; cell < 12; cell++) {
			record(place(10 + cell * 2, 10), 12 - cell);
		}
		record(place(-30, -30), 1);
		this.clock.advance(Duration.ofSeconds(1));
		List<AudienceShare> regions = this.audience.regions();
		assertThat(regions).hasSize(8);
		assertThat(regions).extracting(AudienceShare::latitude).startsWith(10.5, 12.5);
		assertThat(regions.stream().mapToDouble(AudienceShare::share).sum()).isCloseTo(1, within(0.01));
	}

	@Test
	void shouldCountNothingWhenDisabledOrUnplaced() {
		ViewerAudience disabled = new ViewerAudience(settings(false), this.clock);
		disabled.record(FRANKFURT);
		this.audience.record(null);
		this.audience.record(new GeoLocation("127.0.0.1", null, "TW", null, null, null, null, null));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(disabled.regions()).isEmpty();
		assertThat(this.audience.regions()).isEmpty();
	}

	@Test
	void shouldKeepTheSameSummaryWithinASecond() {
		record(FRANKFURT, 1);
		this.clock.advance(Duration.ofSeconds(1));
		List<AudienceShare> first = this.audience.regions();
		record(NEW_YORK, 5);
		assertThat(this.audience.regions()).isSameAs(first);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.audience.regions()).hasSize(2);
	}

	private void record(GeoLocation viewer, int requests) {
		for (int i = 0; i < requests; i++) {
			this.audience.record(viewer);
		}
	}

	private static PublisherProperties.Audience settings(boolean enabled) {
		return new PublisherProperties.Audience(enabled, Duration.ofMinutes(10), 1, 8, 0.05);
	}

	private static GeoLocation place(double latitude, double longitude) {
		return new GeoLocation(null, null, null, null, null, null, latitude, longitude);
	}

}
