package io.dandelion.support.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/**
 * The TLS every client of a node uses: TLS 1.2 or newer, certificates and host names
 * always verified, against the JDK's authorities and the certificates of a PEM file
 * ({@code TLS_TRUSTED_CERTIFICATES}), say the self-signed certificate of a box behind the
 * original's TLS proxy. There is no way to skip verification. The context is built once,
 * at start-up, so that a bad file stops the node with a message naming it.
 */
public final class ClientTls {

	private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	private final SslContext context;

	private final Path trustedCertificates;

	/**
	 * The TLS of a node's clients.
	 * @param trustedCertificates a PEM file of certificates trusted besides the JDK's
	 * authorities, or {@code null} for those alone
	 * @throws IllegalArgumentException when the file cannot be read or holds no
	 * certificate, naming the file
	 */
	ClientTls(Path trustedCertificates) {
		this.trustedCertificates = trustedCertificates;
		try {
			SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
			if (trustedCertificates != null) {
				builder.trustManager(trustManagers(read(trustedCertificates)));
			}
			this.context = builder.build();
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalArgumentException(
					"Cannot use the trusted certificates in " + trustedCertificates + ": " + ex, ex);
		}
	}

	/**
	 * The client, with this node's TLS for {@code https} and {@code wss} URLs (plain
	 * {@code http} and {@code ws} URLs stay plain).
	 * @param client a client
	 * @return the configured client
	 */
	public HttpClient apply(HttpClient client) {
		return client.secure((spec) -> spec.sslContext(this.context));
	}

	private static List<X509Certificate> read(Path pemFile) throws IOException, GeneralSecurityException {
		Collection<? extends Certificate> read;
		try (InputStream in = Files.newInputStream(pemFile)) {
			read = CertificateFactory.getInstance("X.509").generateCertificates(in);
		}
		List<X509Certificate> certificates = new ArrayList<>();
		for (Certificate certificate : read) {
			certificates.add((X509Certificate) certificate);
		}
		if (certificates.isEmpty()) {
			throw new GeneralSecurityException("no PEM certificate in the file");
		}
		return certificates;
	}

	private static TrustManagerFactory trustManagers(List<X509Certificate> extra)
			throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		int index = 0;
		for (X509Certificate authority : jdkAuthorities()) {
			store.setCertificateEntry("jdk-" + index++, authority);
		}
		for (X509Certificate certificate : extra) {
			store.setCertificateEntry("trusted-" + index++, certificate);
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory;
	}

	private static X509Certificate[] jdkAuthorities() throws GeneralSecurityException {
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init((KeyStore) null);
		for (var manager : factory.getTrustManagers()) {
			if (manager instanceof X509TrustManager x509) {
				return x509.getAcceptedIssuers();
			}
		}
		return new X509Certificate[0];
	}

	@Override
	public String toString() {
		return (this.trustedCertificates != null) ? "JDK authorities and " + this.trustedCertificates
				: "JDK authorities";
	}

}
