package io.dandelion.support.launch;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port a part can listen on: the one it prefers when nothing holds it, else one the
 * kernel picks.
 */
final class FreePort {

	private FreePort() {
	}

	/**
	 * A port free on an address.
	 * @param ip the address the part binds to
	 * @param preferred the port it would like, or 0 for any
	 * @return {@code preferred} when it can be bound now, else a port the kernel picked
	 */
	static int on(String ip, int preferred) {
		InetAddress address = address(ip);
		if (preferred != 0) {
			Integer port = bind(address, preferred);
			if (port != null) {
				return port;
			}
		}
		Integer port = bind(address, 0);
		if (port == null) {
			throw new LaunchException("no free port on " + ip);
		}
		return port;
	}

	private static InetAddress address(String ip) {
		if (!ip.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
			throw new LaunchException("not an IP address: " + ip);
		}
		try {
			return InetAddress.getByName(ip);
		}
		catch (IOException ex) {
			throw new LaunchException("not an IP address: " + ip);
		}
	}

	private static Integer bind(InetAddress address, int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(address, port));
			return socket.getLocalPort();
		}
		catch (BindException ex) {
			if (String.valueOf(ex.getMessage()).contains("assign requested address")) {
				throw new LaunchException("address " + address.getHostAddress()
						+ " is not configured on this machine (Linux routes all of 127.0.0.0/8 to loopback;"
						+ " macOS needs: sudo ifconfig lo0 alias " + address.getHostAddress() + ")");
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
