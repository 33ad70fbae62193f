package io.dandelion.agent.serving;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.support.security.ServerTlsProtocols;
import reactor.netty.http.Http11SslContextSpec;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * The TLS of the box's data port. A box that serves HTTPS itself ({@code TLS_CERTIFICATE}
 * and {@code TLS_PRIVATE_KEY}, Spring's {@code server.ssl.*}) serves its data port over
 * HTTPS too, with the same certificate and TLS 1.3 and 1.2 only, and tells entrances so
 * in {@code DATA_SCHEME: https}; a box without serves plain HTTP, as the original's did.
 */
final class DataPortTls {

	/** A data port serving plain HTTP. */
	static final DataPortTls NONE = new DataPortTls(null, null, null, null);

	private final SslBundle bundle;

	private final X509Certificate certificate;

	private final Path certificateFile;

	private final Path privateKeyFile;

	private DataPortTls(SslBundle bundle, X509Certificate certificate, Path certificateFile, Path privateKeyFile) {
		this.bundle = bundle;
		this.certificate = certificate;
		this.certificateFile = certificateFile;
		this.privateKeyFile = privateKeyFile;
	}

	/**
	 * The data port's TLS for the box's own web server's settings.
	 * @param ssl the web server's {@code server.ssl}, may be {@code null}
	 * @param bundles the application's SSL bundles, for {@code server.ssl.bundle}; may be
	 * {@code null}
	 * @return {@link #NONE} when the box serves plain HTTP
	 * @throws IllegalStateException when the certificate cannot be read
	 */
	static DataPortTls of(Ssl ssl, SslBundles bundles) {
		if (!Ssl.isEnabled(ssl)) {
			return NONE;
		}
		// The very bundle Spring Boot builds the web server's TLS from
		SslBundle bundle = WebServerSslBundle.get(ssl, bundles);
		return new DataPortTls(bundle, ownCertificate(bundle), file(ssl.getCertificate()),
				file(ssl.getCertificatePrivateKey()));
	}

	/**
	 * The data port's TLS without application context, for the nginx configuration
	 * printer and tests.
	 * @param ssl the {@code server.ssl} settings, may be {@code null}
	 * @return {@link #NONE} when they serve no TLS
	 */
	static DataPortTls of(Ssl ssl) {
		return of(ssl, null);
	}

	/**
	 * Whether the data port serves HTTPS.
	 * @return {@code true} with a certificate
	 */
	boolean enabled() {
		return this.bundle != null;
	}

	/**
	 * How viewers fetch from the data port, the {@code DATA_SCHEME} the box sends.
	 * @return {@code https} or {@code http}
	 */
	String scheme() {
		return enabled() ? ExchangeRequest.TLS_DATA : ExchangeRequest.PLAIN_DATA;
	}

	/**
	 * The TLS of the builtin server.
	 * @return its context specification
	 */
	Http11SslContextSpec serverSpec() {
		requireEnabled();
		return Http11SslContextSpec.forServer(this.bundle.getManagers().getKeyManagerFactory())
			.configure((builder) -> builder.protocols(ServerTlsProtocols.protocols()));
	}

	/**
	 * The TLS of the box's probe of its own file server: it trusts exactly the box's own
	 * certificate, whatever address the certificate names (the probe connects to a local
	 * address, which a certificate for the box's public name does not list).
	 * @return a context for a JDK client
	 */
	SSLContext probeContext() {
		requireEnabled();
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new OwnCertificateOnly(this.certificate) }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot make the probe's TLS context", ex);
		}
	}

	/**
	 * The TLS parameters of the probe: TLS 1.3 and 1.2 only, as viewers get.
	 * @return the parameters
	 */
	static SSLParameters probeParameters() {
		SSLParameters parameters = new SSLParameters();
		parameters.setProtocols(ServerTlsProtocols.protocols());
		return parameters;
	}

	/**
	 * The lines of an nginx {@code server} block that serve this TLS, after a
	 * {@code listen … ssl}.
	 * @param indent the block's indentation
	 * @param quote how a path is written into nginx.conf (refusing what nginx would
	 * interpret)
	 * @return the directives, one a line, each line ended
	 * @throws IllegalStateException when the certificate or key is no file nginx can read
	 */
	String nginxDirectives(String indent, Function<Path, String> quote) {
		requireEnabled();
		if (this.certificateFile == null || this.privateKeyFile == null) {
			throw new IllegalStateException("nginx serves the data port over TLS with the files of TLS_CERTIFICATE and "
					+ "TLS_PRIVATE_KEY (PEM); set both to file paths (not key stores, SSL bundles or classpath "
					+ "resources), or use BOX_FILE_SERVER: builtin");
		}
		return indent + "ssl_certificate \"" + quote.apply(this.certificateFile) + "\";\n" + indent
				+ "ssl_certificate_key \"" + quote.apply(this.privateKeyFile) + "\";\n" + indent + "ssl_protocols "
				+ String.join(" ", protocolsOldestFirst()) + ";\n";
	}

	private static String[] protocolsOldestFirst() {
		String[] protocols = ServerTlsProtocols.protocols();
		Arrays.sort(protocols);
		return protocols;
	}

	private void requireEnabled() {
		if (!enabled()) {
			throw new IllegalStateException("The data port serves no TLS");
		}
	}

	/**
	 * A file named by a {@code server.ssl} location, or {@code null} when it names none
	 * (inline PEM text, a classpath resource).
	 */
	private static Path file(String location) {
		if (location == null || location.isBlank() || location.contains("-----BEGIN")
				|| location.startsWith("classpath:")) {
			return null;
		}
		String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
		// nginx reads relative paths from its prefix, the box from its working directory
		return Path.of(path).toAbsolutePath().normalize();
	}

	private static X509Certificate ownCertificate(SslBundle bundle) {
		try {
			KeyStore store = bundle.getStores().getKeyStore();
			String alias = bundle.getKey().getAlias();
			if (alias == null) {
				alias = Collections.list(store.aliases())
					.stream()
					.filter((name) -> isKeyEntry(store, name))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("The box's TLS key store holds no key"));
			}
			if (!(store.getCertificate(alias) instanceof X509Certificate certificate)) {
				throw new IllegalStateException("The box's TLS key store holds no X.509 certificate for " + alias);
			}
			return certificate;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the box's TLS certificate", ex);
		}
	}

	private static boolean isKeyEntry(KeyStore store, String alias) {
		try {
			return store.isKeyEntry(alias);
		}
		catch (GeneralSecurityException ex) {
			// Not a key this store can tell: the search goes on to the next alias
			return false;
		}
	}

	@Override
	public String toString() {
		return enabled() ? "TLS with " + this.certificate.getSubjectX500Principal() : "plain HTTP";
	}

	/**
	 * Trusts a server presenting exactly one certificate, and nothing else: no
	 * authorities, no host name check (that is the certificate's business with viewers).
	 */
	private static final class OwnCertificateOnly extends X509ExtendedTrustManager {

		private final X509Certificate own;

		OwnCertificateOnly(X509Certificate own) {
			this.own = own;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			if (chain == null || chain.length == 0 || !this.own.equals(chain[0])) {
				throw new CertificateException("The file server presented another certificate than the box's own");
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("The probe trusts no clients");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			checkClientTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
