package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A box in nginx mode whose store lies under a directory only its owner may enter, a
 * fresh temporary directory of mode 0700 as {@code mktemp -d} makes. Started by root,
 * nginx runs its workers as {@code nobody}, who could serve nothing from there: the box
 * refuses to start, naming the directory and the fixes, and leaves no nginx running. Run
 * by anyone else, nginx's workers keep that user and serve the store. With
 * {@code BOX_NGINX_USER} set to the directory's owner, the box serves the store either
 * way. Real nginx, real Redis.
 */
@Tag(TestRedis.TAG)
class NginxStoreCheckTests {

	private Path closed;

	private final List<Path> stores = new ArrayList<>();

	private final Map<Path, NodeCredential> credentials = new HashMap<>();

	private boolean root;

	@BeforeEach
	void createClosedDirectory() throws IOException {
		this.closed = Files.createTempDirectory("box-closed",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		this.root = (Integer) Files.getAttribute(this.closed, "unix:uid") == 0;
	}

	@AfterEach
	void deleteKeys() throws IOException {
		for (Path store : this.stores) {
			Path id = store.resolve("box-id.txt");
			if (Files.exists(id)) {
				TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(id).strip()).prefix());
			}
		}
	}

	@Test
	void shouldRefuseToStartNamingTheDirectoryWhenNginxWorkersCannotEnterIt() throws IOException {
		Path store = this.closed.resolve("clone/run/box-1");
		if (this.root) {
			assertThatException().isThrownBy(() -> start(store, null).close())
				.havingRootCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("nginx does not serve the store " + store)
				.withMessageContaining("run as 'nobody'")
				.withMessageContaining("who cannot enter " + this.closed + " (mode 0700, owner root")
				.withMessageContaining("set BASE_DIRECTORY to a directory that nobody can reach")
				.withMessageContaining("chmod o+x " + this.closed)
				.withMessageContaining("set BOX_NGINX_USER to a user who can read the store");
			assertThat(nginxProcessesOf(store)).as("nginx left running").isEmpty();
		}
		else {
			try (ConfigurableApplicationContext box = start(store, null)) {
				assertServes(box, store);
			}
		}
	}

	@Test
	void shouldServeTheStoreUnderTheClosedDirectoryWithItsOwnerAsNginxUser() throws IOException {
		Path store = this.closed.resolve("clone/run/box-2");
		String owner = Files.getOwner(this.closed).getName();
		try (ConfigurableApplicationContext box = start(store, owner)) {
			assertServes(box, store);
		}
		assertThat(nginxProcessesOf(store)).as("nginx left running").isEmpty();
	}

	/** Publishes a file and fetches it through nginx, and finds the box healthy. */
	private void assertServes(ConfigurableApplicationContext box, Path store) {
		int appPort = ((WebServerApplicationContext) box).getWebServer().getPort();
		int dataPort = box.getEnvironment().getRequiredProperty("box.serving.data-port", Integer.class);
		String boxId = box.getBean(NodeId.class).value();
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		byte[] content = "served from a closed directory".getBytes(StandardCharsets.UTF_8);
		PublisherTestClient client = new PublisherTestClient(appPort, boxId);
		Conversation conversation = client.exchange(2, client.publish(publisherId),
				PublisherTestClient.frame("/closed/a.ts", 0, content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
		HttpResponse<byte[]> file = FileServingTestSupport.send("GET", "http://127.0.0.1:" + dataPort
				+ TestTrust.signed("/" + publisherId + "/closed/a.ts", this.credentials.get(store)));
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).isEqualTo(content);
		HttpResponse<byte[]> health = FileServingTestSupport.send("GET",
				"http://127.0.0.1:" + appPort + "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("\"fileServer\":{\"status\":\"UP\"");
		assertThat(store.resolve("run/nginx.conf")).exists();
	}

	private ConfigurableApplicationContext start(Path store, String nginxUser) {
		this.stores.add(store);
		List<String> args = new ArrayList<>(List.of("--box.base-directory=" + store, "--box.serving.file-server=nginx",
				"--box.serving.data-port=" + FileServingTestSupport.freePort(),
				"--box.serving.nginx-binary=" + FileServingTestSupport.nginxBinary(), "--server.port=0",
				"--server.address=127.0.0.1", "--box.server-ip=127.0.0.1",
				"--spring.data.redis.url=" + TestRedis.url()));
		NodeCredential credential = TestTrust.boxCredential();
		this.credentials.put(store, credential);
		args.addAll(TestTrust.strictBoxArguments(credential));
		TestRedis.keyLayoutProperties().forEach((setting) -> args.add("--" + setting));
		if (nginxUser != null) {
			args.add("--box.serving.nginx-user=" + nginxUser);
		}
		return SpringApplication.run(BoxAgentApplication.class, args.toArray(String[]::new));
	}

	/** nginx processes whose command line names the store's run directory. */
	private static List<ProcessHandle> nginxProcessesOf(Path store) {
		String run = store.resolve("run").toString();
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> commandLine(process).contains("nginx") && commandLine(process).contains(run))
			.toList();
	}

	private static String commandLine(ProcessHandle process) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

}
