package io.dandelion.publisher.audience;

import java.util.List;

import io.dandelion.protocol.AudienceShare;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audience}: where the publisher believes its viewers are, as its
 * SEARCHes name them ({@code AUDIENCE}).
 */
@RestController
class AudienceController {

	private final ViewerAudience audience;

	AudienceController(ViewerAudience audience) {
		this.audience = audience;
	}

	@GetMapping("/api/v1/audience")
	AudienceResponse audience() {
		ViewerAudience.Summary summary = this.audience.current();
		return new AudienceResponse(summary.regions().stream().map(Region::of).toList(), summary.recentRequests());
	}

	/**
	 * The audience.
	 *
	 * @param regions the regions SEARCH names, largest first; empty while nobody watched
	 * lately (the entrance then ranks boxes by their distance to the publisher)
	 * @param recentRequests the viewer requests behind them, older ones weighing less
	 */
	record AudienceResponse(List<Region> regions, double recentRequests) {

	}

	/**
	 * One region: the centre of its cell and its share.
	 *
	 * @param lat degrees north
	 * @param lon degrees east
	 * @param share share of the requests
	 */
	record Region(double lat, double lon, double share) {

		static Region of(AudienceShare share) {
			return new Region(share.latitude(), share.longitude(), share.share());
		}

	}

}
