package io.dandelion.protocol.store;

/**
 * The object every box serves on its data port for entrances to probe it with
 * (docs/protocol.md, "Dial-back probes"): {@value #PATH}, {@value #SIZE} bytes of a fixed
 * pattern, written into the store by the box at start and served like a stored file, but
 * unsigned and never logged as traffic. Large enough that fetching it says something
 * about the box's throughput, small enough to fetch from every box every half minute.
 */
public final class DataPortProbe {

	/** The URL path on the data port, and the path below the store root. */
	public static final String PATH = "/.dandelion/probe-64k";

	/** Its size in bytes. */
	public static final int SIZE = 64 * 1024;

	private DataPortProbe() {
	}

	/**
	 * The object's bytes: a fixed pattern, the same on every box, of bytes that do not
	 * compress to nothing.
	 * @return {@value #SIZE} bytes
	 */
	public static byte[] content() {
		byte[] content = new byte[SIZE];
		for (int i = 0; i < SIZE; i++) {
			// 251 is prime: the pattern does not line up with any power-of-two block
			content[i] = (byte) (i % 251);
		}
		return content;
	}

}
