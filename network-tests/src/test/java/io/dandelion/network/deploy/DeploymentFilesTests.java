package io.dandelion.network.deploy;

import java.util.TreeSet;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.dandelion.network.config.ConfigurationReference;
import io.dandelion.support.config.ConfigFile;
import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Static checks of the deployment files: {@code docker-compose.yml},
 * {@code docker/Dockerfile}, the nginx configurations in {@code docker/nginx/} and
 * {@code config/nginx-rtmp-ingest.conf}, and the compose configurations in
 * {@code config/compose/}. There is no Docker engine on the build machines, so nothing
 * here is run in a container; the nginx configurations are checked with a real
 * {@code nginx -t} instead.
 */
class DeploymentFilesTests {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentFilesTests.class);

	/** The repository root, seen from the module directory Maven runs tests in. */
	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	/**
	 * The ports README.md documents: entrance and box application 7071, box files 7072,
	 * publisher 7073, RTMP ingest 1935, the boxes' nginx proxy 7070.
	 */
	private static final Set<Integer> DOCUMENTED_PORTS = Set.of(7070, 7071, 7072, 7073, 1935);

	/** Where Debian's libnginx-mod-rtmp installs the module. */
	private static final String RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

	private static final Pattern CONFIG_OPTION = Pattern.compile("--" + ConfigFile.OPTION + "=(\\S+)");

	private final Map<String, Object> compose = loadYaml(ROOT.resolve("docker-compose.yml"));

	@Test
	void shouldGiveEveryServiceAHealthCheck() {
		services().forEach((name, service) -> {
			Map<String, Object> healthcheck = map(service.get("healthcheck"), name + ".healthcheck");
			assertThat(healthcheck.get("disable")).as("%s.healthcheck.disable", name).isNotEqualTo(true);
			assertThat(list(healthcheck.get("test"), name + ".healthcheck.test")).as("%s.healthcheck.test", name)
				.hasSizeGreaterThan(1)
				.first()
				.isIn("CMD", "CMD-SHELL");
		});
	}

	@Test
	void shouldLimitTheMemoryOfEveryService() {
		services().forEach((name, service) -> {
			Object limit = Optional.ofNullable(service.get("mem_limit")).orElseGet(() -> deployMemoryLimit(service));
			assertThat(limit).as("%s has mem_limit or deploy.resources.limits.memory", name).isNotNull();
			assertThat(String.valueOf(limit)).as("%s memory limit", name).matches("[1-9][0-9]*[kmg]");
		});
		javaServices().forEach((name, service) -> {
			if (role(service) == Role.BOX) {
				assertThat(environment(name, service).get("JAVA_TOOL_OPTIONS")).as("%s heap", name).contains("-Xmx64m");
			}
		});
	}

	@Test
	void shouldStartEveryServiceAfterItsDependenciesAreHealthy() {
		Map<String, Map<String, Object>> services = services();
		services.forEach((name, service) -> {
			Object dependsOn = service.get("depends_on");
			if (dependsOn == null) {
				return;
			}
			map(dependsOn, name + ".depends_on").forEach((dependency, settings) -> {
				assertThat(services).as("%s depends on a service of the file", name).containsKey(dependency);
				assertThat(map(settings, name + ".depends_on." + dependency).get("condition"))
					.as("%s depends on %s", name, dependency)
					.isEqualTo("service_healthy");
			});
		});
		// A sidecar in another service's network namespace starts once that one is
		// healthy
		services.forEach((name, service) -> {
			Object networkMode = service.get("network_mode");
			if (networkMode != null && networkMode.toString().startsWith("service:")) {
				String target = networkMode.toString().substring("service:".length());
				assertThat(map(service.get("depends_on"), name + ".depends_on")).as("%s depends on %s", name, target)
					.containsKey(target);
			}
		});
		// Whoever talks to Redis or the entrance waits for it
		javaServices().forEach((name, service) -> {
			Map<String, Object> dependsOn = map(service.get("depends_on"), name + ".depends_on");
			assertThat(dependsOn).as("%s waits for redis", name).containsKey("redis");
			if (role(service) != Role.ENTRANCE) {
				assertThat(dependsOn).as("%s waits for the entrance", name).containsKey(entranceServiceName());
			}
		});
	}

	@Test
	void shouldMountOnlyFilesOfTheRepositoryAndDeclaredVolumes() {
		Map<String, Object> declared = map(this.compose.getOrDefault("volumes", Map.of()), "volumes");
		services().forEach((name, service) -> {
			for (Mount mount : mounts(name, service)) {
				if (mount.isBind()) {
					assertThat(mount.source()).as("%s mounts a path of the repository, relative to it", name)
						.startsWith("./");
					assertThat(ROOT.resolve(mount.source()).normalize()).as("%s mounts %s", name, mount.source())
						.exists()
						.startsWith(ROOT);
				}
				else {
					assertThat(declared).as("%s uses the volume %s", name, mount.source()).containsKey(mount.source());
				}
			}
		});
	}

	@Test
	void shouldMountAConfigurationThatLoadsForEveryJavaService() {
		Map<String, Map<String, Object>> javaServices = javaServices();
		assertThat(javaServices.values().stream().map(DeploymentFilesTests::role)).contains(Role.ENTRANCE, Role.BOX,
				Role.PUBLISHER);
		javaServices.forEach((name, service) -> {
			Role role = role(service);
			ConfigFile config = config(name, service);
			assertThat(config.warnings()).as("warnings loading %s", config.source()).isEmpty();
			assertThat(config.source().getParent()).isEqualTo(ROOT.resolve("config/compose"));
			assertThat(config.properties()).as("%s", config.source())
				.containsEntry("spring.data.redis.host", "redis")
				.containsKey("server.port");
			// The health check asks the port the configuration gives the service
			String port = (String) config.properties().get("server.port");
			assertThat(String.join(" ", list(map(service.get("healthcheck"), name).get("test"), name)))
				.as("%s health check", name)
				.contains("http://127.0.0.1:" + port + "/actuator/health");
			if (role != Role.ENTRANCE) {
				// The entrance URL names the entrance service (or an alias) on its port
				String entrancePort = (String) config(entranceServiceName(), services().get(entranceServiceName()))
					.properties()
					.get("server.port");
				Object urls = config.properties().get(role.name().toLowerCase(Locale.ROOT) + ".entrance-urls");
				assertThat(list(urls, name + " ENTRANCE_URLS")).as("%s ENTRANCE_URLS", name)
					.isNotEmpty()
					.allSatisfy((url) -> assertThat(entranceNames().stream()
						.map((host) -> "http://" + host + ":" + entrancePort + "/dandelion/ws/")
						.toList()).contains(String.valueOf(url)));
			}
		});
	}

	@Test
	void shouldBuildEveryJavaServiceFromItsModuleJar() throws IOException {
		Set<String> stages = dockerfileStages();
		services().forEach((name, service) -> {
			if (service.get("build") == null) {
				assertThat(service.get("image")).as("%s has an image or a build", name).isNotNull();
				return;
			}
			Map<String, Object> build = map(service.get("build"), name + ".build");
			assertThat(build.get("context")).as("%s build context", name).isEqualTo(".");
			assertThat(build.get("dockerfile")).as("%s dockerfile", name).isEqualTo("docker/Dockerfile");
			Object target = build.get("target");
			if (target != null) {
				assertThat(stages).as("stages of docker/Dockerfile").contains(target.toString());
			}
		});
		javaServices().forEach((name, service) -> {
			String jar = jarFile(service);
			String module = jar.substring(0, jar.indexOf('/'));
			assertThat(jar).as("%s JAR_FILE", name).isEqualTo(module + "/target/" + module + "-exec.jar");
			assertThat(ROOT.resolve(module).resolve("pom.xml")).as("module of %s", name).exists();
			assertThat(name).as("service named like its module").startsWith(module);
			assertThat(map(service.get("build"), name).get("target")).as("%s builds the default target", name).isNull();
			assertThat(environment(name, service)).as("%s environment", name)
				.containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
		});
	}

	@Test
	void shouldPublishOnlyDocumentedPorts() throws IOException {
		String readme = Files.readString(ROOT.resolve("README.md"));
		for (int port : DOCUMENTED_PORTS) {
			assertThat(readme).as("README.md documents port %s", port).contains(Integer.toString(port));
		}
		services().forEach((name, service) -> {
			for (Object port : list(service.getOrDefault("ports", List.of()), name + ".ports")) {
				String[] parts = String.valueOf(port).split(":");
				assertThat(parts.length).as("%s publishes %s as HOST:CONTAINER", name, port).isBetween(2, 3);
				int hostPort = Integer.parseInt(parts[parts.length - 2]);
				int containerPort = Integer.parseInt(parts[parts.length - 1].replace("/tcp", ""));
				assertThat(containerPort).as("%s publishes %s", name, port).isIn(DOCUMENTED_PORTS);
				assertThat(hostPort).as("%s publishes %s on the same host port", name, port).isEqualTo(containerPort);
			}
		});
	}

	@Test
	void shouldBuildALayeredImageAsANonRootUser() throws IOException {
		String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
		List<String> lines = dockerfile.lines().map(String::strip).filter((line) -> !line.startsWith("#")).toList();
		List<String> froms = lines.stream().filter((line) -> line.startsWith("FROM ")).toList();
		assertThat(froms).as("multi-stage build").hasSizeGreaterThan(1);
		assertThat(lines).contains("ARG JAR_FILE");
		assertThat(dockerfile).contains("java -Djarmode=tools -jar app.jar extract --layers --launcher");
		// The default target is the last stage: the service on a Temurin 17 JRE
		int last = lines.lastIndexOf(froms.get(froms.size() - 1));
		List<String> finalStage = lines.subList(last, lines.size());
		assertThat(finalStage.get(0)).startsWith("FROM eclipse-temurin:17-jre");
		for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
			assertThat(finalStage).as("copies the layer %s", layer)
				.anyMatch((line) -> line.startsWith("COPY --from=") && line.contains("/" + layer + "/"));
		}
		List<String> users = finalStage.stream().filter((line) -> line.startsWith("USER ")).toList();
		assertThat(users).as("USER of the final stage").isNotEmpty();
		assertThat(users.get(users.size() - 1).substring(5).strip()).isNotIn("root", "0", "0:0");
		assertThat(finalStage)
			.contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
		assertThat(dockerfile)
			.contains("docker build --build-arg JAR_FILE=entrance-service/target/entrance-service-exec.jar"
					+ " -t dandelion/entrance-service -f docker/Dockerfile .");
	}

	@Test
	void shouldServeTheBoxStoreExactlyAsTheBoxGeneratesIt() throws IOException {
		Map<String, Object> box = javaServices().values()
			.stream()
			.filter((service) -> role(service) == Role.BOX)
			.findFirst()
			.orElseThrow();
		Map<String, Object> properties = config("box", box).properties();
		String baseDirectory = (String) properties.get("box.base-directory");
		String runDirectory = (String) properties.getOrDefault("box.serving.run-directory", baseDirectory + "/run");
		String expected = renderBoxTemplate(runDirectory, baseDirectory, (String) properties.get("box.server-ip"),
				(String) properties.get("box.serving.data-port"), (String) properties.get("box.server-proxy-port"),
				(String) properties.get("server.port"));
		String actual = Files.readString(ROOT.resolve("docker/nginx/box.conf"));
		assertThat(actual).as("docker/nginx/box.conf is the box's rendering of nginx.conf.template").endsWith(expected);
		String header = actual.substring(0, actual.length() - expected.length());
		assertThat(header.lines()).as("lines before the rendering").allMatch((line) -> line.startsWith("#"));
		// Every box sidecar mounts it, in its box's network namespace and store
		services().forEach((name, service) -> {
			if (mounts(name, service).stream().anyMatch((mount) -> mount.source().equals("./docker/nginx/box.conf"))) {
				String boxName = String.valueOf(service.get("network_mode")).replace("service:", "");
				Map<String, Object> boxService = services().get(boxName);
				assertThat(boxService).as("%s runs in a box's network namespace", name).isNotNull();
				assertThat(role(boxService)).isEqualTo(Role.BOX);
				assertThat(mountAt(name, service, baseDirectory)).as("%s mounts the store of %s", name, boxName)
					.isEqualTo(mountAt(boxName, boxService, baseDirectory));
			}
		});
	}

	@Test
	void shouldPassNginxTestForTheBoxSidecar(@TempDir Path temp) throws Exception {
		String config = Files.readString(ROOT.resolve("docker/nginx/box.conf"));
		Files.createDirectories(temp.resolve("store"));
		// The compose paths do not exist here: the same configuration, in a temporary
		// prefix
		String local = config.replace("\"/var/lib/dandelion/run/", "\"" + temp.resolve("run") + "/")
			.replace("\"/var/lib/dandelion\"", "\"" + temp.resolve("store") + "\"");
		assertThat(local.lines().filter((line) -> !line.strip().startsWith("#")))
			.noneMatch((line) -> line.contains("/var/lib/dandelion"));
		Files.createDirectories(temp.resolve("run"));
		nginxTest(temp, local);
	}

	@Test
	void shouldIngestRtmpIntoThePublisherWatchDirectory() throws IOException {
		NginxDirectives rtmp = NginxDirectives.parse(Files.readString(ROOT.resolve("config/nginx-rtmp-ingest.conf")));
		assertThat(rtmp.children()).as("only the rtmp block, for the top level of nginx.conf")
			.extracting(NginxDirectives::name)
			.containsExactly("rtmp");
		NginxDirectives server = rtmp.at("rtmp", "server");
		assertThat(server.value("listen")).isEqualTo("1935");
		NginxDirectives live = server.at("application:live");
		assertThat(live.value("live")).isEqualTo("on");
		assertThat(live.value("hls")).isEqualTo("on");
		assertThat(live.value("hls_nested")).isEqualTo("on");
		assertThat(live.value("hls_fragment")).isEqualTo("2s");
		assertThat(live.value("hls_playlist_length")).isEqualTo("12s");
		// HLS lands in the volume both the ingest and the publisher mount there
		String hlsPath = live.value("hls_path");
		Map<String, Map<String, Object>> services = services();
		Mount ingestMount = mountAt("ingest", services.get("ingest"), hlsPath);
		assertThat(ingestMount).as("ingest mounts a volume at %s", hlsPath).isNotNull();
		assertThat(ingestMount.isBind()).isFalse();
		assertThat(mountAt(publisherServiceName(), services.get(publisherServiceName()), hlsPath))
			.as("the publisher mounts the ingest's HLS volume at %s", hlsPath)
			.isEqualTo(ingestMount);
		// ingest.conf loads the module and includes the rtmp block where compose mounts
		// it
		NginxDirectives ingest = NginxDirectives.parse(Files.readString(ROOT.resolve("docker/nginx/ingest.conf")));
		assertThat(ingest.value("load_module")).isEqualTo(RTMP_MODULE);
		assertThat(ingest.value("worker_processes")).isEqualTo("1");
		String include = ingest.value("include");
		assertThat(mountAt("ingest", services.get("ingest"), include)).as("ingest mounts %s", include)
			.extracting(Mount::source)
			.isEqualTo("./config/nginx-rtmp-ingest.conf");
		assertThat(mountAt("ingest", services.get("ingest"), "/etc/nginx/nginx.conf")).extracting(Mount::source)
			.isEqualTo("./docker/nginx/ingest.conf");
		assertThat(list(services.get("ingest").get("ports"), "ingest.ports")).contains("1935:1935");
	}

	@Test
	void shouldPassNginxTestForTheIngest(@TempDir Path temp) throws Exception {
		String ingest = Files.readString(ROOT.resolve("docker/nginx/ingest.conf"));
		String rtmp = Files.readString(ROOT.resolve("config/nginx-rtmp-ingest.conf"));
		Path hls = Files.createDirectories(temp.resolve("hls"));
		Files.writeString(temp.resolve("rtmp-ingest.conf"),
				rtmp.replace("hls_path /var/lib/dandelion/hls;", "hls_path " + hls + ";"));
		// The container's user and pid path, moved to the temporary prefix
		String local = ingest.replace("user dandelion;", "")
			.replace("pid /run/nginx.pid;", "pid " + temp.resolve("nginx.pid") + ";")
			.replace("include /etc/nginx/rtmp-ingest.conf;", "include " + temp.resolve("rtmp-ingest.conf") + ";");
		Path module = Path.of(System.getProperty("dandelion.nginx-rtmp-module",
				Optional.ofNullable(System.getenv("DANDELION_NGINX_RTMP_MODULE")).orElse(RTMP_MODULE)));
		assertThat(module)
			.as("the nginx RTMP module (Debian: apt-get install libnginx-mod-rtmp; .ci/run installs it; "
					+ "DANDELION_NGINX_RTMP_MODULE names one installed elsewhere)")
			.isRegularFile();
		logger.info("nginx -t on docker/nginx/ingest.conf with config/nginx-rtmp-ingest.conf and the RTMP module {}",
				module);
		nginxTest(temp, local.replace("load_module " + RTMP_MODULE + ";", "load_module " + module + ";"));
	}

	// --- nginx ------------------------------------------------------------------------

	/**
	 * The box's nginx.conf as {@code NginxConfig.render()} builds it, from the same
	 * templates and the same media type table (read from box-agent's sources).
	 */
	private static String renderBoxTemplate(String runDirectory, String storeRoot, String serverIp, String dataPort,
			String proxyPort, String appPort) throws IOException {
		Path serving = ROOT.resolve("box-agent/src/main/resources/io/dandelion/agent/serving");
		String mediaTypes = Files
			.readString(ROOT.resolve("box-agent/src/main/java/io/dandelion/agent/serving/MediaTypes.java"));
		Matcher put = Pattern.compile("types\\.put\\(\"([^\"]+)\", \"([^\"]+)\"\\);").matcher(mediaTypes);
		List<String> types = new ArrayList<>();
		while (put.find()) {
			types.add("        " + put.group(2) + " " + put.group(1) + ";");
		}
		assertThat(types).as("media types of MediaTypes.java").hasSizeGreaterThan(3);
		assertThat(serverIp).as("box.conf is rendered for BOX_SERVER_IP 0.0.0.0").isEqualTo("0.0.0.0");
		String proxy = "";
		if (proxyPort != null) {
			proxy = Files.readString(serving.resolve("nginx-proxy.conf.template"))
				.replace("{{PROXY_LISTEN}}", proxyPort)
				// The compose boxes serve no TLS themselves
				.replace("{{TLS}}", "")
				.replace("{{APP}}", "http://127.0.0.1:" + appPort);
		}
		// The compose boxes set no BOX_NGINX_USER: no user directive
		return Files.readString(serving.resolve("nginx.conf.template"))
			.replace("{{USER}}", "")
			.replace("{{RUN}}", runDirectory)
			.replace("{{STORE}}", storeRoot)
			.replace("{{DATA_LISTEN}}", dataPort)
			.replace("{{TLS}}", "")
			.replace("{{TYPES}}", String.join("\n", types))
			// The sidecar has no box secret: no viewer URL check (NginxConfig's unsigned
			// form)
			.replace("{{VIEWER_URL_CHECK}}", "")
			.replace("{{PROXY_SERVER}}", proxy);
	}

	/** Runs {@code nginx -t} on a configuration written into a temporary prefix. */
	private static void nginxTest(Path prefix, String config) throws IOException, InterruptedException {
		Path file = prefix.resolve("nginx.conf");
		Files.writeString(file, config);
		Path nginx = nginxBinary();
		Process process = new ProcessBuilder(nginx.toString(), "-t", "-p", prefix + "/", "-c", file.toString(), "-e",
				prefix.resolve("error.log").toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("nginx -t finished").isTrue();
		logger.info("{} -t: {}", nginx, output.strip());
		assertThat(process.exitValue()).as("nginx -t exit code; output:%n%s%nconfig:%n%s", output, config).isZero();
	}

	private static Path nginxBinary() {
		List<Path> candidates = new ArrayList<>();
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				candidates.add(Path.of(directory, "nginx"));
			}
		}
		candidates.add(Path.of("/usr/sbin/nginx"));
		return candidates.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseGet(() -> fail("No nginx binary on PATH or at /usr/sbin/nginx: the deployment tests check the "
					+ "nginx configurations with nginx -t (Debian: apt-get install nginx; .ci/run installs it)"));
	}

	// --- docker-compose.yml
	// -------------------------------------------------------------

	/** A volume of a service: a bind mount ({@code ./path}) or a named volume. */
	private record Mount(String source, String target) {

		boolean isBind() {
			return this.source.startsWith(".") || this.source.startsWith("/") || this.source.startsWith("~");
		}

	}

	private Map<String, Map<String, Object>> services() {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(this.compose.get("services"), "services")
			.forEach((name, service) -> services.put(name, map(service, name)));
		assertThat(services).as("services of docker-compose.yml").isNotEmpty();
		return services;
	}

	/** The services built from a Spring Boot jar. */
	private Map<String, Map<String, Object>> javaServices() {
		Map<String, Map<String, Object>> java = new LinkedHashMap<>();
		services().forEach((name, service) -> {
			if (jarFile(service) != null) {
				java.put(name, service);
			}
		});
		return java;
	}

	private String entranceServiceName() {
		return javaServices().entrySet()
			.stream()
			.filter((entry) -> role(entry.getValue()) == Role.ENTRANCE)
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow();
	}

	private String publisherServiceName() {
		return javaServices().entrySet()
			.stream()
			.filter((entry) -> role(entry.getValue()) == Role.PUBLISHER)
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow();
	}

	/** The entrance's service name and its network aliases. */
	private List<String> entranceNames() {
		String name = entranceServiceName();
		List<String> names = new ArrayList<>(List.of(name));
		Object networks = services().get(name).get("networks");
		if (networks instanceof Map<?, ?> byName) {
			byName.values().forEach((network) -> {
				if (network instanceof Map<?, ?> settings && settings.get("aliases") instanceof List<?> aliases) {
					aliases.forEach((alias) -> names.add(String.valueOf(alias)));
				}
			});
		}
		return names;
	}

	private static String jarFile(Map<String, Object> service) {
		if (service.get("build") instanceof Map<?, ?> build && build.get("args") instanceof Map<?, ?> args) {
			Object jar = args.get("JAR_FILE");
			return (jar != null) ? jar.toString() : null;
		}
		return null;
	}

	private static Role role(Map<String, Object> service) {
		String jar = jarFile(service);
		assertThat(jar).as("JAR_FILE").isNotNull();
		if (jar.startsWith("entrance-service/")) {
			return Role.ENTRANCE;
		}
		if (jar.startsWith("box-agent/")) {
			return Role.BOX;
		}
		if (jar.startsWith("publisher-service/")) {
			return Role.PUBLISHER;
		}
		return fail("No role for JAR_FILE " + jar);
	}

	/** Loads the configuration a Java service is started with, as the service would. */
	private static ConfigFile config(String name, Map<String, Object> service) {
		String command = String.join(" ", list(service.get("command"), name + ".command"));
		Matcher option = CONFIG_OPTION.matcher(command);
		assertThat(option.find()).as("%s is started with --config=", name).isTrue();
		String target = option.group(1);
		Role role = role(service);
		assertThat(Path.of(target).getFileName()).as("%s reads its role's file name", name)
			.hasToString(ConfigFile.fileName(role));
		Mount mount = mountAt(name, service, target);
		assertThat(mount).as("%s mounts %s", name, target).isNotNull();
		assertThat(mount.isBind()).isTrue();
		return ConfigFile.load(ConfigurationReference.keys(role), mount.source(), ROOT, environment(name, service));
	}

	private static Mount mountAt(String name, Map<String, Object> service, String target) {
		return mounts(name, service).stream().filter((mount) -> mount.target().equals(target)).findFirst().orElse(null);
	}

	private static List<Mount> mounts(String name, Map<String, Object> service) {
		List<Mount> mounts = new ArrayList<>();
		for (Object volume : list(service.getOrDefault("volumes", List.of()), name + ".volumes")) {
			if (volume instanceof Map<?, ?> longSyntax) {
				mounts
					.add(new Mount(String.valueOf(longSyntax.get("source")), String.valueOf(longSyntax.get("target"))));
			}
			else {
				String[] parts = String.valueOf(volume).split(":");
				assertThat(parts.length).as("%s volume %s is SOURCE:TARGET[:MODE]", name, volume).isBetween(2, 3);
				mounts.add(new Mount(parts[0], parts[1]));
			}
		}
		return mounts;
	}

	private static Map<String, String> environment(String name, Map<String, Object> service) {
		Object environment = service.getOrDefault("environment", Map.of());
		if (environment instanceof List<?> entries) {
			return entries.stream()
				.map(String::valueOf)
				.collect(Collectors.toMap((entry) -> entry.split("=", 2)[0],
						(entry) -> entry.contains("=") ? entry.split("=", 2)[1] : ""));
		}
		Map<String, String> variables = new LinkedHashMap<>();
		map(environment, name + ".environment").forEach((key, value) -> variables.put(key, String.valueOf(value)));
		return variables;
	}

	private static Object deployMemoryLimit(Map<String, Object> service) {
		if (service.get("deploy") instanceof Map<?, ?> deploy && deploy.get("resources") instanceof Map<?, ?> resources
				&& resources.get("limits") instanceof Map<?, ?> limits) {
			return limits.get("memory");
		}
		return null;
	}

	/** The named stages ({@code FROM image AS name}) of docker/Dockerfile. */
	private static Set<String> dockerfileStages() throws IOException {
		Matcher stage = Pattern.compile("(?im)^FROM\\s+\\S+\\s+AS\\s+(\\S+)\\s*$")
			.matcher(Files.readString(ROOT.resolve("docker/Dockerfile")));
		Set<String> stages = new TreeSet<>();
		while (stage.find()) {
			stages.add(stage.group(1));
		}
		return stages;
	}

	private static Map<String, Object> loadYaml(Path file) {
		try {
			Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
			return map(root, file.toString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value, String what) {
		assertThat(value).as("%s is a mapping", what).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static List<String> list(Object value, String what) {
		assertThat(value).as("%s is a list", what).isInstanceOf(List.class);
		return ((List<?>) value).stream().map(String::valueOf).toList();
	}

}
