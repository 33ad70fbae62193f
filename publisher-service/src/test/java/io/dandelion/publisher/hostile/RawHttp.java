package io.dandelion.publisher.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that sends exactly the bytes it is given, one connection per
 * request: hostile request lines and headers (control characters, back-slashes, raw
 * non-ASCII, duplicated headers) must reach the server as written, which no URI-checking
 * client allows.
 */
final class RawHttp {

	private static final int TIMEOUT_MILLIS = 20_000;

	private RawHttp() {
	}

	/**
	 * A request's bytes.
	 * @param method the method
	 * @param target the request target as sent, ISO-8859-1
	 * @param headers header lines ({@code Name: value}), ISO-8859-1
	 * @param body the body, {@code null} for none
	 * @return the request
	 */
	static byte[] request(String method, String target, Iterable<String> headers, byte[] body) {
		StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		if (body != null) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		head.append("\r\n");
		byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream request = new ByteArrayOutputStream(start.length + ((body != null) ? body.length : 0));
		request.writeBytes(start);
		if (body != null) {
			request.writeBytes(body);
		}
		return request.toByteArray();
	}

	/**
	 * Sends a request and reads the whole answer.
	 * @param port the server's loopback port
	 * @param request the request's bytes
	 * @return the answer
	 */
	static Response send(int port, byte[] request) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer (a refusal) and close before reading the whole
				// body: its answer is still there to read
			}
			// No half-close: the server may take it for a client gone before the answer
			return parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No answer from the publisher", ex);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		try {
			for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
				all.write(chunk, 0, read);
			}
		}
		catch (IOException ex) {
			// A reset after the answer: keep what arrived
			if (all.size() == 0) {
				throw ex;
			}
		}
		return all.toByteArray();
	}

	private static Response parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/1.1 ") || end < 0) {
			throw new IllegalStateException("Not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].substring(9, 12));
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).strip());
			}
		}
		byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = dechunk(body);
		}
		return new Response(status, headers, body);
	}

	private static byte[] dechunk(byte[] chunked) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int position = 0;
		while (position < chunked.length) {
			int lineEnd = indexOfCrlf(chunked, position);
			if (lineEnd < 0) {
				break;
			}
			String sizeText = new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1);
			int semicolon = sizeText.indexOf(';');
			int size = Integer.parseInt((semicolon >= 0) ? sizeText.substring(0, semicolon) : sizeText.strip(), 16);
			if (size == 0) {
				break;
			}
			int start = lineEnd + 2;
			body.write(chunked, start, Math.min(size, chunked.length - start));
			position = start + size + 2;
		}
		return body.toByteArray();
	}

	private static int indexOfCrlf(byte[] bytes, int from) {
		for (int i = from; i + 1 < bytes.length; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * An answer.
	 *
	 * @param status its status code
	 * @param headers its headers, names in lower case, the first of each
	 * @param body its body, de-chunked
	 */
	record Response(int status, Map<String, String> headers, byte[] body) {

		String contentType() {
			return this.headers.getOrDefault("content-type", "");
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
