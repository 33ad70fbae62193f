package io.dandelion.publisher.publish;

import java.time.Duration;

import io.dandelion.protocol.redis.RedisKeys;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveListCommands.Direction;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The publish queue, {@code {pub}:FILE:FILES_SENDING_QUEUE}, read without losing tasks: a
 * task moves atomically to {@code {pub}:FILE:PROCESSING} ({@code LMOVE}, or when the
 * queue is empty {@code BLMOVE}, which Spring Data Redis runs on a dedicated connection
 * so the shared one is never blocked), is removed from there when done, and every task
 * left there by a crash goes back to the head of the queue at start-up.
 */
@Component
class FileQueue {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	FileQueue(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Appends a task, as the original {@code FileManager.push} did ({@code RPUSH}).
	 * @param json the task
	 * @return completion
	 */
	public Mono<Void> push(String json) {
		return this.redis.opsForList().rightPush(this.keys.filesSendingQueue(), json).then();
	}

	/**
	 * Puts a task at the head, to be published before the others.
	 * @param json the task
	 * @return completion
	 */
	Mono<Void> pushFirst(String json) {
		return this.redis.opsForList().leftPush(this.keys.filesSendingQueue(), json).then();
	}

	/**
	 * Takes the next task into the processing list, waiting for one at most the given
	 * time.
	 * @param wait how long to block
	 * @return the task, or empty when none came
	 */
	Mono<String> take(Duration wait) {
		// LMOVE on the shared connection while tasks wait: Spring Data Redis runs the
		// blocking BLMOVE on a connection of its own, opened and closed per command,
		// which
		// cost a Redis connection per file published (P1 in docs/benchmarks.md)
		return this.redis.opsForList()
			.move(this.keys.filesSendingQueue(), Direction.LEFT, this.keys.filesProcessing(), Direction.RIGHT)
			.switchIfEmpty(Mono.defer(() -> this.redis.opsForList()
				.move(this.keys.filesSendingQueue(), Direction.LEFT, this.keys.filesProcessing(), Direction.RIGHT,
						wait)));
	}

	/**
	 * Removes a finished task from the processing list.
	 * @param json the task as taken
	 * @return completion
	 */
	Mono<Void> done(String json) {
		return this.redis.opsForList().remove(this.keys.filesProcessing(), 1, json).then();
	}

	/**
	 * Moves every task a previous run left in the processing list back to the head of the
	 * queue, in their order.
	 * @return how many tasks were recovered
	 */
	Mono<Long> recover() {
		// One task at a time until the list is empty (MOVE answers nothing then)
		return moveBack().expand((task) -> moveBack()).count();
	}

	private Mono<String> moveBack() {
		return this.redis.opsForList()
			.move(this.keys.filesProcessing(), Direction.RIGHT, this.keys.filesSendingQueue(), Direction.LEFT);
	}

	/**
	 * Number of tasks waiting.
	 * @return the queue's length
	 */
	public Mono<Long> size() {
		return this.redis.opsForList().size(this.keys.filesSendingQueue());
	}

}
