package io.dandelion.agent.publish;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.protocol.WebSocketPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.Ssl;
import org.springframework.stereotype.Component;

/**
 * Where publishers reach this box. The IP is {@code BOX_CLIENT_IP} when set, else the
 * {@code YOUR_IP} the last entrance reported, else {@code BOX_SERVER_IP} when it is a
 * specific address, else {@code 127.0.0.1} until an entrance tells. No outside service is
 * asked (the original asked three, and its heartbeat loop died when none answered). The
 * heartbeats ({@code IP}, {@code CONNECT_WS}) and the PUBLISH replies name the box alike.
 */
@Component
public class PublicAddress {

	private static final Logger logger = LoggerFactory.getLogger(PublicAddress.class);

	private static final Pattern IPV4 = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private final String configured;

	private final String fallback;

	private final Integer proxyPort;

	private final boolean secure;

	private final AtomicReference<String> reported = new AtomicReference<>();

	@Autowired
	PublicAddress(BoxProperties properties, ServerProperties server) {
		this(properties, Ssl.isEnabled(server.getSsl()));
	}

	PublicAddress(BoxProperties properties, boolean servesTls) {
		this.configured = (properties.clientIp() != null && !properties.clientIp().isBlank())
				? properties.clientIp().strip() : null;
		String serverIp = properties.serverIp();
		this.fallback = isSpecific(serverIp) ? serverIp : "127.0.0.1";
		this.proxyPort = properties.serverProxyPort();
		this.secure = servesTls || this.proxyPort != null;
	}

	/**
	 * The box's public IP as best known now.
	 * @return an IP literal
	 */
	public String ip() {
		if (this.configured != null) {
			return this.configured;
		}
		String fromEntrance = this.reported.get();
		return (fromEntrance != null) ? fromEntrance : this.fallback;
	}

	/**
	 * Takes note of the address an entrance saw this box connect from.
	 * @param yourIp the reply's {@code YOUR_IP}, may be {@code null}
	 */
	public void reportedByEntrance(String yourIp) {
		if (yourIp == null || !isIpLiteral(yourIp)) {
			return;
		}
		String previous = this.reported.getAndSet(yourIp);
		if (!yourIp.equals(previous) && this.configured == null) {
			logger.info("Entrances see this box as {}", yourIp);
		}
	}

	/**
	 * The port publishers connect to: the proxy's when there is one, else the server's.
	 * @param serverPort the port the box's web server listens on
	 * @return the advertised port
	 */
	public int port(int serverPort) {
		return (this.proxyPort != null) ? this.proxyPort : serverPort;
	}

	/**
	 * The URL publishers should open: {@code http://} to the box itself, {@code https://}
	 * when it serves TLS itself ({@code TLS_CERTIFICATE}) or through the TLS proxy when
	 * there is one. The original's publishers accept nothing but {@code http(s)://} here;
	 * ours map it to {@code ws(s)://}.
	 * @param boxId the box's ID
	 * @param serverPort the port the box's web server listens on
	 * @return e.g. {@code http://203.0.113.7:7071/dandelion/box-…/ws/}
	 */
	public String connectWs(String boxId, int serverPort) {
		String ip = ip();
		String host = ip.contains(":") ? "[" + ip + "]" : ip;
		String scheme = WebSocketPaths.wireScheme(this.secure);
		return scheme + "://" + host + ":" + port(serverPort) + WebSocketPaths.boxWebSocket(boxId);
	}

	private static boolean isSpecific(String ip) {
		return ip != null && isIpLiteral(ip) && !ip.equals("0.0.0.0") && !ip.equals("::") && !ip.equals("::0");
	}

	private static boolean isIpLiteral(String text) {
		return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
	}

}
