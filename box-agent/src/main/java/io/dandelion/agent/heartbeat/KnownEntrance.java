package io.dandelion.agent.heartbeat;

import java.time.Instant;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One entrance the box heartbeats to, and what it knows of it. Guarded by the
 * {@link EntranceDirectory} that holds it.
 */
final class KnownEntrance {

	private final EntranceUrl url;

	private final boolean configured;

	private final Sinks.Empty<Void> removed = Sinks.empty();

	private Boolean reachable;

	private Instant unreachableSince;

	private String entranceId;

	KnownEntrance(EntranceUrl url, boolean configured, Instant now) {
		this.url = url;
		this.configured = configured;
		this.unreachableSince = now;
	}

	EntranceUrl url() {
		return this.url;
	}

	boolean configured() {
		return this.configured;
	}

	/** Completes when the directory forgets this entrance. */
	Mono<Void> removed() {
		return this.removed.asMono();
	}

	void remove() {
		this.removed.tryEmitEmpty();
	}

	Instant unreachableSince() {
		return this.unreachableSince;
	}

	String entranceId() {
		return this.entranceId;
	}

	/** Whether its last heartbeat was answered. */
	boolean reachable() {
		return Boolean.TRUE.equals(this.reachable);
	}

	/** Records an answer; returns whether that is news. */
	boolean answered(String id) {
		if (id != null) {
			this.entranceId = id;
		}
		this.unreachableSince = null;
		boolean changed = !Boolean.TRUE.equals(this.reachable);
		this.reachable = true;
		return changed;
	}

	/** Records a failure; returns whether that is news. */
	boolean failed(Instant now) {
		if (this.unreachableSince == null) {
			this.unreachableSince = now;
		}
		boolean changed = !Boolean.FALSE.equals(this.reachable);
		this.reachable = false;
		return changed;
	}

	@Override
	public String toString() {
		return this.url.toString();
	}

}
