package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.serving.FileServerProbe.Result;
import io.dandelion.agent.serving.StoreAccess.Blocked;
import io.dandelion.agent.serving.StoreAccess.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run once nginx, started by the box, has bound its ports: fetches the probe file through
 * it and refuses to go on when nginx does not serve the store, naming why. The usual
 * cause: root starts nginx, nginx runs its worker processes as {@code nobody}, and
 * {@code nobody} cannot enter a directory above the store (a clone in a {@code mktemp -d}
 * directory or under {@code /root}, mode 0700), so every file would answer 403 or 404
 * while the box looked healthy. The message names the first directory that stops the
 * workers and the fixes.
 */
final class NginxStoreCheck implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(NginxStoreCheck.class);

	/** Connection failures are retried this long: nginx has just bound its ports. */
	private static final Duration WAIT = Duration.ofSeconds(5);

	private final FileServerProbe probe;

	private final Path store;

	private final String nginxUser;

	private final String nginxBinary;

	private final Path errorLog;

	NginxStoreCheck(FileServerProbe probe, BoxProperties properties) {
		this.probe = probe;
		this.store = properties.storeRoot();
		this.nginxUser = properties.serving().nginxUserOrNull();
		this.nginxBinary = properties.serving().nginxBinary();
		this.errorLog = properties.runDirectory().resolve("error.log");
	}

	/**
	 * Checks that nginx serves the probe file.
	 * @throws IllegalStateException when it does not, with the reason and the fixes
	 */
	@Override
	public void run() {
		Result result = this.probe.await(WAIT);
		Optional<Identity> workers = StoreAccess.nginxWorkers(this.nginxUser, this.nginxBinary);
		if (result.served()) {
			logger.info("nginx serves the store {} (its workers run as {})", this.store,
					workers.map(Identity::toString).orElse("an unknown user"));
			if (workers.map((who) -> who.uid() == 0).orElse(false)) {
				logger.warn("nginx's worker processes run as root (BOX_NGINX_USER {}): a flaw in nginx would give "
						+ "whoever exploits it the whole machine; prefer a store that nginx's default user can read",
						this.nginxUser);
			}
			return;
		}
		throw new IllegalStateException(explain(result, workers));
	}

	private String explain(Result result, Optional<Identity> workers) {
		StringBuilder message = new StringBuilder("nginx does not serve the store ").append(this.store)
			.append(": GET ")
			.append(result.uri())
			.append(' ')
			.append(result.problem())
			.append('.');
		Optional<Blocked> blocked = workers.flatMap((who) -> StoreAccess.firstBlocked(this.probe.file(), who));
		if (workers.isPresent() && blocked.isPresent()) {
			Identity who = workers.get();
			Blocked where = blocked.get();
			message.append(" Its worker processes run as ")
				.append(who)
				.append(", who cannot ")
				.append(where.directory() ? "enter " : "read ")
				.append(where)
				.append(". Fix one of: set BASE_DIRECTORY to a directory that ")
				.append(who.name())
				.append(" can reach (e.g. /var/lib/dandelion); ");
			if (where.directory()) {
				message.append("let others enter the directories above the store (chmod o+x ")
					.append(where.path())
					.append(')');
			}
			else {
				message.append("let others read the box's files (start the box with umask 022)");
			}
			message.append("; or set BOX_NGINX_USER to a user who can read the store (BOX_NGINX_USER: root runs "
					+ "nginx's workers as root, as the original did: the least safe choice).");
		}
		else {
			message.append(" Its worker processes run as ")
				.append(workers.map(Identity::toString).orElse("an unknown user"))
				.append(". nginx's error log ")
				.append(this.errorLog)
				.append(" ends with: ")
				.append(tail(this.errorLog));
		}
		return message.toString();
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
		}
		catch (IOException ex) {
			return "(cannot read it: " + ex.getMessage() + ")";
		}
	}

}
