package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a user can read a file of the store by permission bits and ownership: the first
 * directory on the way from {@code /} that the user cannot enter, or the file itself when
 * the user cannot read it. Explains why nginx's worker processes serve nothing (they run
 * as {@code nobody} when root starts nginx, and a store under a directory of mode 0700
 * answers 403 or 404 for every file). ACLs and security modules are not considered: the
 * probe request is the real test, this only names the culprit.
 */
final class StoreAccess {

	private static final Pattern NGINX_DEFAULT_USER = Pattern.compile("--user=(\\S+)");

	private StoreAccess() {
	}

	/**
	 * The first path on the way to the file that the user cannot pass.
	 * @param file an absolute file
	 * @param who the user
	 * @return the directory the user cannot enter, or the file the user cannot read;
	 * empty when the bits let the user read it, or when they cannot be read
	 */
	static Optional<Blocked> firstBlocked(Path file, Identity who) {
		if (who.uid() == 0) {
			return Optional.empty();
		}
		Path normalized = file.toAbsolutePath().normalize();
		List<Path> steps = new ArrayList<>();
		for (Path path = normalized.getParent(); path != null; path = path.getParent()) {
			steps.add(0, path);
		}
		try {
			for (Path directory : steps) {
				if (!allows(directory, who, 1)) {
					return Optional.of(blocked(directory));
				}
			}
			if (!allows(normalized, who, 4)) {
				return Optional.of(blocked(normalized));
			}
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			// Bits that cannot be read name no culprit: the probe's failure
			// is reported without one
			return Optional.empty();
		}
		return Optional.empty();
	}

	/**
	 * Whether the bits grant the user the permission ({@code 1} search, {@code 4} read):
	 * the owner's bits for the owner, else the group's for a member, else the others'.
	 */
	private static boolean allows(Path path, Identity who, int permission) throws IOException {
		int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		int group = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
		int shift = (owner == who.uid()) ? 6 : who.groups().contains(group) ? 3 : 0;
		return ((mode >> shift) & permission) == permission;
	}

	private static Blocked blocked(Path path) throws IOException {
		int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		return new Blocked(path, attributes.isDirectory(), mode & 07777, attributes.owner().getName(),
				attributes.group().getName());
	}

	/**
	 * The user nginx's worker processes run as: the box's own user unless the box runs as
	 * root; then {@code BOX_NGINX_USER}, else nginx's compiled-in default ({@code --user}
	 * of {@code nginx -V}, else {@code nobody}).
	 * @param configuredUser {@code BOX_NGINX_USER}, or {@code null}
	 * @param nginxBinary the nginx executable
	 * @return the user, or empty when it cannot be told (no {@code id} command, unknown
	 * user)
	 */
	static Optional<Identity> nginxWorkers(String configuredUser, String nginxBinary) {
		Optional<Identity> box = identity(null);
		if (box.isEmpty() || box.get().uid() != 0) {
			return box;
		}
		String user = (configuredUser != null) ? configuredUser.split(" ")[0] : defaultUser(nginxBinary);
		return identity(user);
	}

	/** The user's IDs by {@code id}, which asks the system's user database. */
	private static Optional<Identity> identity(String user) {
		List<String> name = run(withUser(user, "id", "-un"));
		List<String> uid = run(withUser(user, "id", "-u"));
		List<String> groups = run(withUser(user, "id", "-G"));
		if (name.isEmpty() || uid.isEmpty() || groups.isEmpty()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new Identity(name.get(0), Integer.parseInt(uid.get(0)),
					Arrays.stream(groups.get(0).split("\\s+"))
						.filter((id) -> !id.isEmpty())
						.map(Integer::valueOf)
						.collect(Collectors.toSet())));
		}
		catch (NumberFormatException ex) {
			// An id command that does not answer in numbers: the user cannot be told
			return Optional.empty();
		}
	}

	private static List<String> withUser(String user, String... command) {
		List<String> line = new ArrayList<>(List.of(command));
		if (user != null) {
			line.add(user);
		}
		return line;
	}

	private static String defaultUser(String nginxBinary) {
		List<String> version = run(List.of(nginxBinary, "-V"));
		for (String line : version) {
			Matcher matcher = NGINX_DEFAULT_USER.matcher(line);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		return "nobody";
	}

	/** The output lines of a short command, empty when it fails. */
	private static List<String> run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return List.of();
			}
			return (process.exitValue() == 0) ? output.lines().toList() : List.of();
		}
		catch (IOException ex) {
			// No such command here: as documented, a failed command says nothing
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

	/**
	 * A user, as the kernel checks its access.
	 *
	 * @param name the user name
	 * @param uid the user ID
	 * @param groups the IDs of its groups, primary and supplementary
	 */
	record Identity(String name, int uid, Set<Integer> groups) {

		Identity {
			groups = Set.copyOf(groups);
		}

		@Override
		public String toString() {
			return "'" + this.name + "' (uid " + this.uid + ")";
		}

	}

	/**
	 * Where a user is stopped.
	 *
	 * @param path the directory it cannot enter or the file it cannot read
	 * @param directory whether it is a directory
	 * @param mode its permission bits
	 * @param owner its owner's name
	 * @param group its group's name
	 */
	record Blocked(Path path, boolean directory, int mode, String owner, String group) {

		@Override
		public String toString() {
			return this.path + " (mode " + String.format("%04o", this.mode) + ", owner " + this.owner + ", group "
					+ this.group + ")";
		}

	}

}
