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
 * The certificates a node's clients trust besides the JDK's own authorities: a PEM file
 * ({@code TLS_TRUSTED_CERTIFICATES}) holding, say, the self-signed certificate of a box
 * or entrance behind the original's TLS proxy. Certificates are always verified, host
 * names included; there is no way to skip that.
 */
public final class TrustedCertificates {

	private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	private TrustedCertificates() {
	}

	/**
	 * A client that trusts the JDK's authorities and, when a file is given, the
	 * certificates in it; TLS 1.2 or newer.
	 * @param client the client to configure
	 * @param pemFile the PEM file, or {@code null} for the JDK's authorities alone
	 * @return the configured client
	 * @throws IllegalArgumentException when the file cannot be read or holds no
	 * certificate, naming the file
	 */
	public static HttpClient apply(HttpClient client, Path pemFile) {
		SslContext context = clientContext(pemFile);
		return client.secure((spec) -> spec.sslContext(context));
	}

	/**
	 * The client TLS context: the JDK's authorities plus the file's certificates.
	 * @param pemFile the PEM file, or {@code null}
	 * @return the context
	 */
	public static SslContext clientContext(Path pemFile) {
		try {
			SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
			if (pemFile != null) {
				builder.trustManager(trustManagers(read(pemFile)));
			}
			return builder.build();
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalArgumentException("Cannot use the trusted certificates in " + pemFile + ": " + ex, ex);
		}
	}

	/**
	 * Reads every certificate of a PEM file.
	 * @param pemFile the file
	 * @return its certificates, at least one
	 */
	static List<X509Certificate> read(Path pemFile) throws IOException, GeneralSecurityException {
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

}
