import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pushes file frames of a given size to a box for a given time, one at a time (each waits for its STORED reply), and
 * prints frames and MiB/s; or, in "raw" mode, copies the same bytes over a plain loopback TCP socket, the baseline.
 * JDK only: java PushFrames.java box ws://127.0.0.1:PORT/dandelion/BOX-ID/ws/ SECONDS FRAME_BYTES
 *           java PushFrames.java raw - SECONDS FRAME_BYTES
 */
public class PushFrames {

	private static final String PUBLISHER = "publisher-" + "0123456789abcdef0123456789abcdef";

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		long seconds = Long.parseLong(args[2]);
		int frameBytes = Integer.parseInt(args[3]);
		byte[] content = new byte[frameBytes];
		new Random(42).nextBytes(content);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long start = System.nanoTime();
		long frames = mode.equals("raw") ? raw(content, deadline) : box(URI.create(args[1]), content, deadline);
		double elapsed = (System.nanoTime() - start) / 1e9;
		double mib = frames * (double) frameBytes / (1024 * 1024);
		System.out.printf("%s frames=%d seconds=%.2f MiB/s=%.1f%n", mode, frames, elapsed, mib / elapsed);
	}

	private static long raw(byte[] content, long deadline) throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread sink = new Thread(() -> {
				try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
					byte[] buffer = new byte[1 << 16];
					while (in.read(buffer) >= 0) {
						// discard, as a box discards nothing but a socket sink must
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			sink.start();
			long frames = 0;
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
					OutputStream out = socket.getOutputStream()) {
				while (System.nanoTime() < deadline) {
					out.write(content);
					frames++;
				}
			}
			sink.join();
			return frames;
		}
	}

	private static long box(URI uri, byte[] content, long deadline) throws Exception {
		LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			// Our protocol: a STORED reply to every frame (without it the box acknowledges nothing)
			.subprotocols("dandelion.v2")
			.buildAsync(uri, new WebSocket.Listener() {
				private final StringBuilder text = new StringBuilder();

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					this.text.append(data);
					if (last) {
						replies.add(this.text.toString());
						this.text.setLength(0);
					}
					webSocket.request(1);
					return CompletableFuture.completedFuture(null);
				}
			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"ID\": \"" + PUBLISHER + "\", \"IP\": \"127.0.0.1\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}",
				true).get(10, TimeUnit.SECONDS);
		String accepted = replies.poll(10, TimeUnit.SECONDS);
		if (accepted == null || !accepted.contains("ACCEPTED")) {
			throw new IllegalStateException("PUBLISH not accepted: " + accepted);
		}
		long frames = 0;
		while (System.nanoTime() < deadline) {
			byte[] header = ("<Dandelion>{\"FILE_PATH\": \"/bench/" + (frames % 64) + ".bin\", \"TTL\": 2}</Dandelion>")
				.getBytes(StandardCharsets.UTF_8);
			ByteBuffer frame = ByteBuffer.allocate(header.length + content.length).put(header).put(content).flip();
			socket.sendBinary(frame, true).get(30, TimeUnit.SECONDS);
			String ack = replies.poll(30, TimeUnit.SECONDS);
			if (ack == null || !ack.contains("\"SHA256\"")) {
				throw new IllegalStateException("Frame " + frames + " not stored: " + ack);
			}
			frames++;
		}
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
		return frames;
	}

}
