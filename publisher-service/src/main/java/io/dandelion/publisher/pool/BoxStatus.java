package io.dandelion.publisher.pool;

import java.time.Instant;

/**
 * What the publisher knows of one box, for {@code GET /api/v1/boxes}.
 *
 * @param id the box's ID
 * @param ip its public address
 * @param connectWs its WebSocket URL
 * @param dataPort the port viewers fetch files from
 * @param city where the entrance placed it, if known
 * @param entranceScore the entrance's {@code RANK_SCORE}
 * @param rankReasons the entrance's {@code RANK_REASONS}, e.g. {@code
 * distance=0.91,distance_km=98,storage=0.66,...}: the parts of its score, the distance
 * ones measured to this publisher's audience; {@code null} from an entrance that sends
 * none
 * @param rank the publisher's score: the entrance's adjusted by failures and ack latency
 * @param connection {@code CONNECTING}, {@code READY}, {@code CLOSED} or {@code NONE}
 * @param live whether the box may be chosen and redirected to
 * @param ackedFiles frames the box acknowledged with the right SHA-256
 * @param failures frames or connections that failed
 * @param lastAckLatencyMillis time between sending the last acknowledged frame and its
 * reply
 * @param lastListed when an entrance last listed the box
 * @param publishTicket whether an entrance gave a ticket to publish to the box (the
 * ticket itself is never shown)
 * @param urlSecret whether an entrance gave the box's URL secret, so that viewer URLs of
 * its files can be signed (the secret itself is never shown)
 * @param excludedUntil until when the box is excluded for serving other bytes than it was
 * given (a report the publisher confirmed); {@code null} when it is not
 */
public record BoxStatus(String id, String ip, String connectWs, int dataPort, String city, double entranceScore,
		String rankReasons, double rank, String connection, boolean live, long ackedFiles, long failures,
		Long lastAckLatencyMillis, Instant lastListed, boolean publishTicket, boolean urlSecret,
		Instant excludedUntil) {

}
