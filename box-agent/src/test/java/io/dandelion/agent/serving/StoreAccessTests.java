package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.dandelion.agent.serving.StoreAccess.Blocked;
import io.dandelion.agent.serving.StoreAccess.Identity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read a store file, by permission bits and ownership, on real directories: the
 * owner of this test's files and {@code nobody}'s IDs (a user that owns none of them).
 */
class StoreAccessTests {

	private static final Identity nobody = new Identity("nobody", 65534, Set.of(65534));

	@TempDir
	Path temp;

	private Identity owner;

	private int ownerGroup;

	@BeforeEach
	void readOwner() throws IOException {
		this.ownerGroup = (Integer) Files.getAttribute(this.temp, "unix:gid");
		this.owner = new Identity("owner", (Integer) Files.getAttribute(this.temp, "unix:uid"),
				Set.of(this.ownerGroup));
	}

	@Test
	void shouldNameTheFirstDirectoryOthersCannotEnter() throws IOException {
		Path file = store("rwxr-xr-x", "rw-r--r--");
		Path closed = Files.createDirectories(this.temp.resolve("a"));
		Path inner = Files.createDirectories(closed.resolve("b"));
		Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
		Files.setPosixFilePermissions(inner, PosixFilePermissions.fromString("rwx------"));
		Path deep = Files.writeString(inner.resolve("probe"), "x");
		assertThat(StoreAccess.firstBlocked(file, nobody)).isEmpty();
		Blocked blocked = StoreAccess.firstBlocked(deep, nobody).orElseThrow();
		assertThat(blocked.path()).isEqualTo(closed);
		assertThat(blocked.directory()).isTrue();
		assertThat(blocked.mode()).isEqualTo(0700);
		assertThat(blocked.toString()).startsWith(closed + " (mode 0700, owner ");
	}

	@Test
	void shouldLetTheOwnerAndRootThrough() throws IOException {
		Path file = store("rwx------", "rw-------");
		assertThat(StoreAccess.firstBlocked(file, this.owner)).isEmpty();
		assertThat(StoreAccess.firstBlocked(file, new Identity("root", 0, Set.of(0)))).isEmpty();
		assertThat(StoreAccess.firstBlocked(file, nobody)).isPresent();
	}

	@Test
	void shouldLetGroupMembersThroughByTheGroupBits() throws IOException {
		Path file = store("rwxr-x---", "rw-r-----");
		Identity member = new Identity("member", 65534, Set.of(65534, this.ownerGroup));
		assertThat(StoreAccess.firstBlocked(file, member)).isEmpty();
		assertThat(StoreAccess.firstBlocked(file, nobody).orElseThrow().path()).isEqualTo(file.getParent());
	}

	@Test
	void shouldNameAFileOthersCannotRead() throws IOException {
		Path file = store("rwxr-xr-x", "rw-------");
		Blocked blocked = StoreAccess.firstBlocked(file, nobody).orElseThrow();
		assertThat(blocked.path()).isEqualTo(file);
		assertThat(blocked.directory()).isFalse();
	}

	@Test
	void shouldTellTheUserNginxWorkersRunAs() {
		Identity workers = StoreAccess.nginxWorkers("nobody", FileServingTestSupport.nginxBinary()).orElseThrow();
		if (this.owner.uid() == 0) {
			// Root starts nginx: its workers take the configured user
			assertThat(workers.name()).isEqualTo("nobody");
			assertThat(workers.uid()).isNotZero();
		}
		else {
			// Anyone else: nginx keeps the user it was started as
			assertThat(workers.uid()).isEqualTo(this.owner.uid());
		}
	}

	/**
	 * A store directory with the given bits (whose parents all others may enter, /tmp
	 * included) holding one file with the given bits.
	 */
	private Path store(String directoryBits, String fileBits) throws IOException {
		Files.setPosixFilePermissions(this.temp, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path store = Files.createDirectories(this.temp.resolve("store"));
		Path file = Files.writeString(store.resolve("probe"), "x");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileBits));
		Files.setPosixFilePermissions(store, PosixFilePermissions.fromString(directoryBits));
		return file;
	}

}
