package io.dandelion.entrance.api;

/**
 * The body of {@code PUT /dandelion/api/v1/entrances}.
 *
 * @param url another entrance's WebSocket URL, e.g.
 * {@code http://198.51.100.2:7071/dandelion/ws/}
 */
public record EntranceUrlRequest(String url) {

}
