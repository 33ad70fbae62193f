package io.dandelion.agent.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;

import io.dandelion.agent.system.BoxProperties;

/**
 * The nginx configuration of a box, rendered from the classpath templates
 * {@code nginx.conf.template} and {@code nginx-proxy.conf.template}: the store served on
 * the data port, and, when {@code BOX_SERVER_PROXY_PORT} is set, the box's
 * {@code /dandelion} paths proxied on it.
 *
 * @param runDirectory where nginx keeps its pid, temp files and logs
 * @param storeRoot the store, served below its publisher directories
 * @param serverIp the address to listen on ({@code BOX_SERVER_IP})
 * @param dataPort the data port
 * @param proxyPort the proxy port, or {@code null}
 * @param appPort the box application's HTTP port, proxied to
 * @param user the {@code user} directive's value ({@code BOX_NGINX_USER}), or
 * {@code null} for none (nginx's default user for its workers when started as root)
 */
public record NginxConfig(Path runDirectory, Path storeRoot, String serverIp, int dataPort, Integer proxyPort,
		int appPort, String user) {

	/** The file name in the run directory. */
	public static final String FILE_NAME = "nginx.conf";

	/**
	 * A configuration without a {@code user} directive.
	 * @param runDirectory where nginx keeps its pid, temp files and logs
	 * @param storeRoot the store, served below its publisher directories
	 * @param serverIp the address to listen on
	 * @param dataPort the data port
	 * @param proxyPort the proxy port, or {@code null}
	 * @param appPort the box application's HTTP port, proxied to
	 */
	public NginxConfig(Path runDirectory, Path storeRoot, String serverIp, int dataPort, Integer proxyPort,
			int appPort) {
		this(runDirectory, storeRoot, serverIp, dataPort, proxyPort, appPort, null);
	}

	/**
	 * The configuration for the given settings.
	 * @param properties the box's settings
	 * @param appPort the port the box application listens on
	 * @return the configuration
	 */
	public static NginxConfig of(BoxProperties properties, int appPort) {
		return new NginxConfig(properties.runDirectory(), properties.storeRoot(), properties.serverIp(),
				properties.serving().dataPort(), properties.serverProxyPort(), appPort,
				properties.serving().nginxUserOrNull());
	}

	/**
	 * Where the configuration is written.
	 * @return {@code <run directory>/nginx.conf}
	 */
	public Path file() {
		return this.runDirectory.resolve(FILE_NAME);
	}

	/**
	 * The configuration text.
	 * @return nginx.conf
	 */
	public String render() {
		String proxy = "";
		if (this.proxyPort != null) {
			proxy = template("nginx-proxy.conf.template").replace("{{PROXY_LISTEN}}", listen(this.proxyPort))
				.replace("{{APP}}", appAddress());
		}
		String types = MediaTypes.BY_EXTENSION.entrySet()
			.stream()
			.map((type) -> "        " + type.getValue() + " " + type.getKey() + ";")
			.collect(Collectors.joining("\n"));
		String user = "";
		if (this.user != null) {
			if (!this.user.matches("[A-Za-z0-9._][A-Za-z0-9._-]*( [A-Za-z0-9._][A-Za-z0-9._-]*)?")) {
				throw new IllegalArgumentException("User " + this.user + " cannot be written into nginx.conf");
			}
			user = "user " + this.user + ";\n";
		}
		return template("nginx.conf.template").replace("{{USER}}", user)
			.replace("{{RUN}}", safe(this.runDirectory))
			.replace("{{STORE}}", safe(this.storeRoot))
			.replace("{{DATA_LISTEN}}", listen(this.dataPort))
			.replace("{{TYPES}}", types)
			.replace("{{PROXY_SERVER}}", proxy);
	}

	/**
	 * Writes the configuration atomically, creating the run directory.
	 * @return whether the file changed
	 * @throws IOException when it cannot be written
	 */
	public boolean write() throws IOException {
		String text = render();
		Files.createDirectories(this.runDirectory);
		Path file = file();
		if (Files.exists(file) && Files.readString(file).equals(text)) {
			return false;
		}
		Path temp = this.runDirectory.resolve(FILE_NAME + ".new");
		Files.writeString(temp, text);
		Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return true;
	}

	private String listen(int port) {
		if (this.serverIp.equals("0.0.0.0")) {
			return Integer.toString(port);
		}
		return (this.serverIp.contains(":") ? "[" + this.serverIp + "]" : this.serverIp) + ":" + port;
	}

	/** The box application as seen from nginx on the same host. */
	private String appAddress() {
		String host = switch (this.serverIp) {
			case "0.0.0.0" -> "127.0.0.1";
			case "::" -> "[::1]";
			default -> this.serverIp.contains(":") ? "[" + this.serverIp + "]" : this.serverIp;
		};
		return host + ":" + this.appPort;
	}

	/**
	 * A path for a quoted nginx string: characters nginx would interpret are refused
	 * rather than escaped.
	 */
	private static String safe(Path path) {
		String text = path.toAbsolutePath().normalize().toString();
		if (text.chars().anyMatch((c) -> c < 0x20 || "\"$\\{};'".indexOf(c) >= 0)) {
			throw new IllegalArgumentException("Path " + text + " cannot be written into nginx.conf");
		}
		return text;
	}

	private static String template(String name) {
		try (InputStream in = NginxConfig.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing classpath resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + name, ex);
		}
	}

}
