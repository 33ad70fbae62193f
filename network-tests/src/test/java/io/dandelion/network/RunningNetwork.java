package io.dandelion.network;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./dandelion up} recorded about the network it started, read from its run
 * directory ({@code pids/<part>.pid}, {@code .url}, {@code .address} and the IDs the
 * parts persisted), the way an operator's tools would find it.
 *
 * @param runDirectory the run directory
 * @param entrance the entrance's base URL, e.g. {@code http://127.0.0.1:7071}
 * @param publisher the publisher's base URL
 * @param publisherId the publisher's ID
 * @param viewer the demo stream's viewer page
 * @param boxes the boxes, in start order
 * @param apiToken the publisher's API token ({@code secrets/api-token})
 * @param certificate the certificate every part serves TLS with ({@code up --tls}:
 * {@code tls/certificate.pem}), or {@code null} when they serve plain HTTP
 */
record RunningNetwork(Path runDirectory, URI entrance, URI publisher, String publisherId, URI viewer, List<Box> boxes,
		String apiToken, Path certificate) {

	static RunningNetwork of(Path runDirectory) throws IOException {
		Path pids = runDirectory.resolve("pids");
		List<Box> boxes = new ArrayList<>();
		for (int k = 1; Files.exists(pids.resolve("box-" + k + ".address")); k++) {
			String name = "box-" + k;
			String[] address = text(pids.resolve(name + ".address")).split(" ");
			boxes.add(new Box(name, text(runDirectory.resolve(name).resolve("box-id.txt")), address[0],
					Integer.parseInt(address[1]), Integer.parseInt(address[2]),
					Long.parseLong(text(pids.resolve(name + ".pid"))), runDirectory.resolve(name)));
		}
		return new RunningNetwork(runDirectory, base(text(pids.resolve("entrance.url"))),
				base(text(pids.resolve("publisher.url"))),
				text(runDirectory.resolve("publisher").resolve("publisher-id.txt")),
				URI.create(text(pids.resolve("demo.url"))), List.copyOf(boxes),
				text(runDirectory.resolve("secrets").resolve("api-token")), certificate(runDirectory));
	}

	/**
	 * A replica of the entrance ({@code up --entrances N}).
	 * @param k its number: 2 for {@code entrance-2}
	 * @return its base URL
	 * @throws IOException when the network has no such replica
	 */
	URI entranceReplica(int k) throws IOException {
		return base(text(this.runDirectory.resolve("pids").resolve("entrance-" + k + ".url")));
	}

	/**
	 * The process of a part.
	 * @param part its name, e.g. {@code entrance}
	 * @return its PID
	 * @throws IOException when the network has no such part
	 */
	long pidOf(String part) throws IOException {
		return Long.parseLong(text(this.runDirectory.resolve("pids").resolve(part + ".pid")));
	}

	/**
	 * How the parts' WebSocket URLs begin.
	 * @return {@code wss} when the network serves TLS, else {@code ws}
	 */
	String webSocketScheme() {
		return "https".equals(this.entrance.getScheme()) ? "wss" : "ws";
	}

	/** The network's certificate when its parts serve TLS: their URLs say https. */
	private static Path certificate(Path runDirectory) throws IOException {
		URI entrance = URI.create(text(runDirectory.resolve("pids").resolve("entrance.url")));
		return "https".equals(entrance.getScheme()) ? runDirectory.resolve("tls").resolve("certificate.pem") : null;
	}

	/**
	 * The box whose file server has an address.
	 * @param hostAndPort {@code ip:port} of a file server
	 * @return the box, if one of the network's
	 */
	Optional<Box> boxServing(String hostAndPort) {
		return this.boxes.stream().filter((box) -> box.dataAddress().equals(hostAndPort)).findFirst();
	}

	private static String text(Path file) throws IOException {
		return Files.readString(file).strip();
	}

	/** {@code http://127.0.0.1:7071/dandelion/} → {@code http://127.0.0.1:7071}. */
	private static URI base(String partUrl) {
		URI url = URI.create(partUrl);
		return URI.create(url.getScheme() + "://" + url.getAuthority());
	}

	/**
	 * One box.
	 *
	 * @param name its part name, {@code box-K}
	 * @param id its box ID
	 * @param ip the loopback address it binds
	 * @param port its WebSocket port
	 * @param dataPort its file server's port
	 * @param pid the box agent's process
	 * @param directory its base directory
	 */
	record Box(String name, String id, String ip, int port, int dataPort, long pid, Path directory) {

		String dataAddress() {
			return this.ip + ":" + this.dataPort;
		}

		/** The file server's access log, in nginx's format whichever server writes it. */
		Path accessLog() {
			return this.directory.resolve("run").resolve("access.log");
		}

	}

}
