package io.dandelion.agent.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.FileSystemUtils;

/**
 * A box's store for the store's tests, registered with {@code @RegisterExtension}: real
 * files in a fresh directory, their expiry records in the test Redis under a random box
 * ID, and the write queue running; after each test the queue stops, the keys are deleted
 * and the files removed. The Redis connection and the writers' scheduler are shared by
 * every test of the run.
 */
final class TestStore implements BeforeEachCallback, AfterEachCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestStore.class);

	private final NodeId box = NodeId.random(Role.BOX);

	private final String publisher = NodeId.random(Role.PUBLISHER).value();

	private Path root;

	private FileStore files;

	private ExpiryRepository expiry;

	private Scheduler scheduler;

	private WriteQueue queue;

	private Disposable job;

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		Shared shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class);
		this.root = Files.createTempDirectory("test-store");
		this.files = new FileStore(this.root, 1_000_000, 1_000_000, 0, () -> 1_000_000_000L);
		this.files.afterPropertiesSet();
		this.expiry = new ExpiryRepository(TestRedis.template(), TestRedis.keys(this.box.value()));
		this.scheduler = shared.scheduler;
		this.queue = new WriteQueue(this.files, this.expiry, this.scheduler);
		this.job = this.queue.run().subscribe();
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		this.job.dispose();
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(this.box.value()).prefix());
		FileSystemUtils.deleteRecursively(this.root);
	}

	/** The store's root directory. */
	Path root() {
		return this.root;
	}

	/** The store. */
	FileStore files() {
		return this.files;
	}

	/** The box's expiry records. */
	ExpiryRepository expiry() {
		return this.expiry;
	}

	/** Where the store's blocking work runs. */
	Scheduler scheduler() {
		return this.scheduler;
	}

	/** The running write queue. */
	WriteQueue queue() {
		return this.queue;
	}

	/** Stops the write queue, as a box that is shutting down does. */
	void stopQueue() {
		this.job.dispose();
	}

	/** The ID of a publisher storing files. */
	String publisher() {
		return this.publisher;
	}

	/** The key of the box's expiry records ({@code EXPIRE_FILES}). */
	String expireFiles() {
		return TestRedis.keys(this.box.value()).expireFiles();
	}

	/** What every test of the run shares, closed once at its end. */
	static final class Shared implements ExtensionContext.Store.CloseableResource {

		private final Scheduler scheduler = Schedulers.newBoundedElastic(4, 100, "test-store");

		@Override
		public void close() {
			this.scheduler.dispose();
		}

	}

}
