package io.dandelion.entrance.api;

import java.time.Instant;
import java.util.List;

import io.dandelion.entrance.federation.EntranceStatus;
import io.dandelion.entrance.federation.OwnInfo;

/**
 * The entrances this one knows, as the REST API shows them: itself and the others.
 *
 * @param self this entrance
 * @param others the other entrances, sorted by URL
 */
public record EntrancesResponse(Self self, List<Other> others) {

	/**
	 * This entrance, as it describes itself to boxes and publishers.
	 *
	 * @param id its ID
	 * @param ip the advertised address
	 * @param port the advertised port
	 * @param url its advertised WebSocket URL, first in every {@code ENTRANCE_URLS}
	 */
	public record Self(String id, String ip, int port, String url) {

		static Self of(OwnInfo info) {
			return new Self(info.id(), info.ip(), info.port(), info.url());
		}

	}

	/**
	 * Another entrance.
	 *
	 * @param url its WebSocket URL
	 * @param lastReachable when its greeting page last answered (or when it was added)
	 * @param reachable whether it is handed out to boxes and publishers now
	 */
	public record Other(String url, Instant lastReachable, boolean reachable) {

		static Other of(EntranceStatus status) {
			return new Other(status.url(), status.lastReachable(), status.reachable());
		}

	}

}
