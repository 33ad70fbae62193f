package io.dandelion.agent.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;

import io.dandelion.agent.config.BoxProperties;

/**
 * The nginx configuration of a box, rendered from the classpath templates
 * {@code nginx.conf.template} and {@code nginx-proxy.conf.template}: the store served on
 * the data port, and, when {@code BOX_SERVER_PROXY_PORT} is set, the box's
 * {@code /dandelion} paths proxied on it. Both serve HTTPS with the box's certificate
 * when the box serves TLS.
 *
 * @param runDirectory where nginx keeps its pid, temp files and logs
 * @param storeRoot the store, served below its publisher directories
 * @param serverIp the address to listen on ({@code BOX_SERVER_IP})
 * @param dataPort the data port
 * @param proxyPort the proxy port, or {@code null}
 * @param appPort the box application's HTTP port, proxied to
 * @param user the {@code user} directive's value ({@code BOX_NGINX_USER}), or
 * {@code null} for none (nginx's default user for its workers when started as root)
 * @param viewerUrls which file requests are answered
 * @param tls the box's TLS, served on both ports ({@link DataPortTls#NONE} for plain
 * HTTP)
 */
public record NginxConfig(Path runDirectory, Path storeRoot, String serverIp, int dataPort, Integer proxyPort,
		int appPort, String user, ViewerUrlPolicy viewerUrls, DataPortTls tls) {

	/** The file name in the run directory. */
	public static final String FILE_NAME = "nginx.conf";

	/** Only the box (and nginx's master, started as the same user) reads it. */
	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	/** Where in a server block the TLS directives go. */
	private static final String TLS = "{{TLS}}";

	/** Where in the publisher directories' location the viewer URL check goes. */
	private static final String VIEWER_URL_CHECK = "{{VIEWER_URL_CHECK}}";

	/** The directives' indentation inside a {@code server} block. */
	private static final String SERVER_INDENT = "        ";

	public NginxConfig {
		viewerUrls = (viewerUrls != null) ? viewerUrls : ViewerUrlPolicy.UNSIGNED;
		tls = (tls != null) ? tls : DataPortTls.NONE;
	}

	/**
	 * A configuration serving unsigned viewer URLs.
	 * @param runDirectory where nginx keeps its pid, temp files and logs
	 * @param storeRoot the store, served below its publisher directories
	 * @param serverIp the address to listen on
	 * @param dataPort the data port
	 * @param proxyPort the proxy port, or {@code null}
	 * @param appPort the box application's HTTP port, proxied to
	 * @param user the {@code user} directive's value, or {@code null} for none
	 */
	public NginxConfig(Path runDirectory, Path storeRoot, String serverIp, int dataPort, Integer proxyPort, int appPort,
			String user) {
		this(runDirectory, storeRoot, serverIp, dataPort, proxyPort, appPort, user, ViewerUrlPolicy.UNSIGNED,
				DataPortTls.NONE);
	}

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
		this(runDirectory, storeRoot, serverIp, dataPort, proxyPort, appPort, null, ViewerUrlPolicy.UNSIGNED,
				DataPortTls.NONE);
	}

	/**
	 * The configuration for the given settings.
	 * @param properties the box's settings
	 * @param appPort the port the box application listens on
	 * @param viewerUrls which file requests are answered
	 * @param tls the box's TLS
	 * @return the configuration
	 */
	static NginxConfig of(BoxProperties properties, int appPort, ViewerUrlPolicy viewerUrls, DataPortTls tls) {
		return new NginxConfig(properties.runDirectory(), properties.storeRoot(), properties.serverIp(),
				properties.serving().dataPort(), properties.serverProxyPort(), appPort,
				properties.serving().nginxUserOrNull(), viewerUrls, tls);
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
				.replace(TLS, tlsDirectives())
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
			.replace(TLS, tlsDirectives())
			.replace("{{TYPES}}", types)
			.replace(VIEWER_URL_CHECK, viewerUrlCheck())
			.replace("{{PROXY_SERVER}}", proxy);
	}

	/**
	 * The lines that refuse a file request without a valid signature, in the format
	 * {@link io.dandelion.protocol.auth.ViewerUrlSignature} signs: nginx's
	 * {@code secure_link} compares the MD5 of {@code {expires}{$uri} {secret}} with the
	 * {@code md5} argument and sets {@code $secure_link} to 0 once {@code expires} has
	 * passed.
	 */
	private String viewerUrlCheck() {
		if (!this.viewerUrls.signed()) {
			return "";
		}
		String indent = "            ";
		if (this.viewerUrls.secret() == null) {
			return indent + "# SIGNED_VIEWER_URLS without CREDENTIAL: no secret to check signatures with\n" + indent
					+ "return 403;\n";
		}
		return indent + "# Signed viewer URLs only (SIGNED_VIEWER_URLS): ?md5=...&expires=...\n" + indent
				+ "secure_link $arg_md5,$arg_expires;\n" + indent + "secure_link_md5 \"$secure_link_expires$uri "
				+ this.viewerUrls.secret() + "\";\n" + indent + "if ($secure_link != \"1\") {\n" + indent
				+ "    return 403;\n" + indent + "}\n";
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
			// Written by an earlier version, readable by others
			Files.setPosixFilePermissions(file, OWNER_ONLY);
			return false;
		}
		Path temp = this.runDirectory.resolve(FILE_NAME + ".new");
		Files.deleteIfExists(temp);
		// Created private, so the secret is never readable by others, not even briefly
		Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
		Files.writeString(temp, text);
		Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return true;
	}

	/** A {@code listen} directive's address and port, and {@code ssl} with TLS. */
	private String listen(int port) {
		String address = this.serverIp.equals("0.0.0.0") ? Integer.toString(port)
				: (this.serverIp.contains(":") ? "[" + this.serverIp + "]" : this.serverIp) + ":" + port;
		return this.tls.enabled() ? address + " ssl" : address;
	}

	/** The certificate, key and protocols of a server block serving TLS; else nothing. */
	private String tlsDirectives() {
		return this.tls.enabled() ? this.tls.nginxDirectives(SERVER_INDENT, NginxConfig::safe) : "";
	}

	/**
	 * The box application as seen from nginx on the same host: over TLS when the box
	 * serves it (loopback to the box itself, so its certificate is not checked).
	 */
	private String appAddress() {
		String host = switch (this.serverIp) {
			case "0.0.0.0" -> "127.0.0.1";
			case "::" -> "[::1]";
			default -> this.serverIp.contains(":") ? "[" + this.serverIp + "]" : this.serverIp;
		};
		return this.tls.scheme() + "://" + host + ":" + this.appPort;
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
