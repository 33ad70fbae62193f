package io.dandelion.network.inprocess;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A WebSocket peer that answers the handshake and the first text message, then goes
 * silent for good: it reads and drops every further frame (pings included) and never
 * closes the connection, as a box does whose power was cut behind a NAT that keeps the
 * flow. Plain sockets, so that no library answers a ping on its behalf.
 */
final class SilentWebSocketServer implements AutoCloseable {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket server;

	private final String firstReply;

	private final List<Socket> connections = new ArrayList<>();

	SilentWebSocketServer(String address, String firstReply) throws IOException {
		this.server = new ServerSocket(0, 8, InetAddress.getByName(address));
		this.firstReply = firstReply;
		Thread acceptor = new Thread(this::accept, "silent-box");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				synchronized (this.connections) {
					this.connections.add(socket);
				}
				Thread connection = new Thread(() -> serve(socket), "silent-box-connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			String key = handshakeKey(in);
			out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			DataInputStream frames = new DataInputStream(in);
			readFrame(frames);
			writeText(out, this.firstReply);
			while (true) {
				readFrame(frames);
			}
		}
		catch (IOException ex) {
			// The client gave up on us, or the test closed the server: the end either way
		}
	}

	private static String handshakeKey(InputStream in) throws IOException {
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		while (!header.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed during the handshake");
			}
			header.write(b);
		}
		for (String line : header.toString(StandardCharsets.US_ASCII).split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		throw new IOException("no Sec-WebSocket-Key");
	}

	private static String accept(String key) {
		try {
			return Base64.getEncoder()
				.encodeToString(
						MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Reads one (masked, client-to-server) frame and drops it. */
	private static void readFrame(DataInputStream in) throws IOException {
		in.readUnsignedByte();
		int second = in.readUnsignedByte();
		long length = second & 0x7f;
		if (length == 126) {
			length = in.readUnsignedShort();
		}
		else if (length == 127) {
			length = in.readLong();
		}
		if ((second & 0x80) != 0) {
			in.readInt();
		}
		in.skipNBytes(length);
	}

	private static void writeText(OutputStream out, String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		out.write(0x81);
		if (payload.length < 126) {
			out.write(payload.length);
		}
		else {
			out.write(126);
			out.write(payload.length >>> 8);
			out.write(payload.length & 0xff);
		}
		out.write(payload);
		out.flush();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		synchronized (this.connections) {
			for (Socket socket : this.connections) {
				socket.close();
			}
		}
	}

}
