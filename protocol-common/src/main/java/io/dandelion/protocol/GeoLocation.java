package io.dandelion.protocol;

/**
 * Where an address is, as a GeoIP database places it. On the wire these are flat string
 * fields ({@code GEOIP-CITY}, {@code GEOIP-LOC: "24.9682,121.1953"}, ...) named after the
 * original README's GEOIP list, so that peers storing messages in flat Redis hashes keep
 * working. Every part is optional.
 *
 * @param ip the address looked up ({@code GEOIP-IP})
 * @param hostname its host name, if known ({@code GEOIP-HOSTNAME})
 * @param country ISO country code ({@code GEOIP-COUNTRY})
 * @param city city name ({@code GEOIP-CITY})
 * @param region region or subdivision name ({@code GEOIP-REGION})
 * @param org organisation or ISP ({@code GEOIP-ORG})
 * @param latitude latitude in degrees (first half of {@code GEOIP-LOC})
 * @param longitude longitude in degrees (second half of {@code GEOIP-LOC})
 */
public record GeoLocation(String ip, String hostname, String country, String city, String region, String org,
		Double latitude, Double longitude) {

	public GeoLocation {
		if ((latitude == null) != (longitude == null)) {
			throw new IllegalArgumentException("latitude and longitude come together or not at all");
		}
		if (latitude != null && (Math.abs(latitude) > 90 || Math.abs(longitude) > 180)) {
			throw new IllegalArgumentException("location out of range: " + latitude + "," + longitude);
		}
	}

	/**
	 * Whether this location has coordinates, so that a distance can be computed.
	 * @return true when latitude and longitude are known
	 */
	public boolean hasCoordinates() {
		return this.latitude != null;
	}

}
