package io.dandelion.entrance.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * What one box, or one network, may register: so that neither a box with a valid
 * credential sending heartbeats as fast as it can, nor one address holding many
 * credentials, crowds out the others.
 *
 * @param maxExchangesPerWindow the most heartbeats one box may send in a window; further
 * ones are refused until the window ends
 * @param rateWindow the window
 * @param maxLiveBoxesPerNetwork the most live boxes of one IPv4 /24 (IPv6 /48); a box new
 * to a full network is refused until one of its boxes expires
 */
public record RegistrationLimits(int maxExchangesPerWindow, Duration rateWindow, int maxLiveBoxesPerNetwork) {

	/** No limit worth the name, for fixtures. */
	public static final RegistrationLimits NONE = new RegistrationLimits(Integer.MAX_VALUE, Duration.ofMinutes(1),
			Integer.MAX_VALUE);

	public RegistrationLimits {
		Objects.requireNonNull(rateWindow, "rateWindow");
		if (maxExchangesPerWindow < 1 || maxLiveBoxesPerNetwork < 1 || rateWindow.toMillis() < 1) {
			throw new IllegalArgumentException("Registration limits must be positive: " + maxExchangesPerWindow
					+ " heartbeats per " + rateWindow + ", " + maxLiveBoxesPerNetwork + " boxes per network");
		}
	}

}
