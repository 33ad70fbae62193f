package io.dandelion.publisher.publish;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Where files enter the publish queue: a task claims its public name first (names are
 * first come, first served, see {@link FileRepository#claim}), then it is appended to the
 * queue as the original {@code FileManager.push} did. The REST API, the upload recovery
 * and the live segments all queue through here.
 */
@Component
public class FileIntake {

	private final FileQueue queue;

	private final FileRepository files;

	private final ObjectMapper mapper;

	private final Clock clock;

	FileIntake(FileQueue queue, FileRepository files, ObjectMapper mapper, Clock clock) {
		this.queue = queue;
		this.files = files;
		this.mapper = mapper;
		this.clock = clock;
	}

	/**
	 * Queues a task under its name.
	 * @param task the task
	 * @return its name; {@link NameTakenException} when another local file holds it
	 */
	public Mono<String> queue(PublishTask task) {
		String json = task.write(this.mapper);
		// State first: a fast worker's SENDING must not be overwritten by QUEUED
		return this.files.claim(task, "QUEUED", this.clock.millis())
			.flatMap((claimed) -> claimed ? this.queue.push(json).thenReturn(task.name())
					: Mono.error(new NameTakenException(task.name())));
	}

	/**
	 * Queues a file the publisher itself holds (an upload, a finished live segment) under
	 * the name it gives it, without the allowed-roots check that guards the REST API: the
	 * uploads and watch directories are the publisher's own.
	 * @param name the file's name, e.g. {@code /live/demo/3.ts}
	 * @param file the file
	 * @param ttl how long boxes keep it
	 * @return its name; {@link NameTakenException} when another local file holds it
	 */
	public Mono<String> queueOwn(String name, Path file, Duration ttl) {
		String localPath = file.toAbsolutePath().normalize().toString();
		return queue(PublishTask.named(name, localPath, ttl.toSeconds()));
	}

}
