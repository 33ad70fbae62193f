package io.dandelion.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One region of a publisher's audience in a SEARCH ({@code AUDIENCE}, new, optional): the
 * centre of a coarse latitude/longitude cell and the share of the publisher's viewer
 * requests that came from it lately. Coarse on purpose: it tells where viewers are to
 * within a hundred kilometres or so, not who they are.
 *
 * @param latitude the cell's centre, degrees north ({@code LAT})
 * @param longitude the cell's centre, degrees east ({@code LON})
 * @param share the cell's share of the audience, in (0, 1] ({@code SHARE})
 */
@JsonPropertyOrder({ "LAT", "LON", "SHARE" })
public record AudienceShare(@JsonProperty("LAT") double latitude, @JsonProperty("LON") double longitude,
		@JsonProperty("SHARE") double share) {

	/** The most regions one SEARCH may name; an entrance refuses more. */
	public static final int MAX_REGIONS = 32;

	public AudienceShare {
		if (!Double.isFinite(latitude) || Math.abs(latitude) > 90 || !Double.isFinite(longitude)
				|| Math.abs(longitude) > 180) {
			throw new IllegalArgumentException("AUDIENCE place out of range: " + latitude + "," + longitude);
		}
		if (!Double.isFinite(share) || share <= 0 || share > 1) {
			throw new IllegalArgumentException("AUDIENCE SHARE must lie in (0, 1], not " + share);
		}
	}

	/**
	 * The cell's centre as a location, for distances.
	 * @return the location, with coordinates only
	 */
	public GeoLocation location() {
		return new GeoLocation(null, null, null, null, null, null, this.latitude, this.longitude);
	}

}
