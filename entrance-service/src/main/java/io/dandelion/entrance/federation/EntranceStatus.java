package io.dandelion.entrance.federation;

import java.time.Instant;

/**
 * What this entrance knows of another one.
 *
 * @param url the other entrance's WebSocket URL
 * @param lastReachable when its greeting page last answered (or when it was added, before
 * the first check)
 * @param reachable whether it is handed out in replies, i.e. not unreachable for longer
 * than the configured time
 */
public record EntranceStatus(String url, Instant lastReachable, boolean reachable) {

}
