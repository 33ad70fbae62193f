package io.dandelion.support.client;

import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.http.client.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.context.annotation.Bean;

/**
 * One {@link ClientTls} per application, applied to the WebClient Boot configures too, so
 * that every client of a node trusts the same certificates.
 */
@AutoConfiguration
@ConditionalOnClass(HttpClient.class)
@EnableConfigurationProperties(ClientTlsProperties.class)
public class ClientTlsAutoConfiguration {

	@Bean
	ClientTls clientTls(ClientTlsProperties properties) {
		return new ClientTls(properties.trustedCertificates());
	}

	@Bean
	ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> clientTlsCustomizer(ClientTls tls) {
		return (builder) -> builder.withHttpClientCustomizer(tls::apply);
	}

}
