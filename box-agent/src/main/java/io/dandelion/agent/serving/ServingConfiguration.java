package io.dandelion.agent.serving;

import java.time.Duration;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.support.background.BackgroundJob;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The file server of the box's mode ({@code box.serving.file-server}): the builtin
 * server, a supervised nginx, or only nginx's configuration for an external nginx.
 */
@Configuration(proxyBeanMethods = false)
class ServingConfiguration {

	private static final String MODE = "box.serving.file-server";

	/**
	 * How often the file server is checked for the metrics when no health check comes
	 * between: each check is one small GET on loopback.
	 */
	private static final Duration PROBE_PERIOD = Duration.ofSeconds(30);

	/**
	 * The first check waits this long: the file servers start after the background jobs,
	 * and a check before would warn of a server that is only starting.
	 */
	private static final Duration FIRST_PROBE = Duration.ofSeconds(10);

	@Bean
	ViewerUrlPolicy viewerUrlPolicy(BoxSecurity security) {
		return ViewerUrlPolicy.of(security);
	}

	/** The box's own certificate on its data port too, when it serves TLS. */
	@Bean
	DataPortTls dataPortTls(ServerProperties server, ObjectProvider<SslBundles> bundles) {
		return DataPortTls.of(server.getSsl(), bundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnProperty(name = MODE, havingValue = "builtin", matchIfMissing = true)
	BuiltinFileServer builtinFileServer(BoxProperties properties, Scheduler servingScheduler,
			ViewerUrlPolicy viewerUrls, DataPortTls tls) {
		return new BuiltinFileServer(properties, servingScheduler, viewerUrls, tls);
	}

	/**
	 * The builtin server's file look-ups and access-log lines. Not the store's scheduler:
	 * viewers must not wait behind publishers' writes and fsyncs, which take seconds when
	 * the disk is busy.
	 */
	@Bean(destroyMethod = "dispose")
	@ConditionalOnProperty(name = MODE, havingValue = "builtin", matchIfMissing = true)
	Scheduler servingScheduler() {
		int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
		return Schedulers.newBoundedElastic(threads, 10_000, "box-serving");
	}

	@Bean
	DataPort dataPort(BoxProperties properties, ObjectProvider<BuiltinFileServer> builtin, DataPortTls tls) {
		int configured = properties.serving().dataPort();
		return new DataPort() {

			@Override
			public int port() {
				BuiltinFileServer server = builtin.getIfAvailable();
				// Before the builtin server is bound (or in nginx modes) the configured
				// port is the one to say
				return (server != null && server.isRunning()) ? server.port() : configured;
			}

			@Override
			public String scheme() {
				return tls.scheme();
			}

		};
	}

	/**
	 * The probe file in the store, fetched through the data port by the health indicator
	 * and the nginx start-up check.
	 */
	@Bean
	FileServerProbe fileServerProbe(BoxProperties properties, DataPort dataPort, DataPortTls tls,
			Scheduler storeScheduler) {
		return new FileServerProbe(properties, dataPort, tls, storeScheduler);
	}

	@Bean
	FileServerHealthIndicator fileServerHealthIndicator(FileServerProbe probe, BoxProperties properties,
			AgentMetrics metrics) {
		return new FileServerHealthIndicator(probe, properties.serving().fileServer(), metrics);
	}

	/**
	 * Checks the file server every {@link #PROBE_PERIOD}, so that
	 * {@code dandelion_box_file_server_serving} is current though nothing asks for
	 * {@code /actuator/health}; the check logs when the answer changes.
	 */
	@Bean
	BackgroundJob fileServerCheck(FileServerHealthIndicator health) {
		return BackgroundJob.every("file server check", FIRST_PROBE, PROBE_PERIOD, health::health);
	}

	@Bean
	@ConditionalOnProperty(name = MODE, havingValue = "nginx")
	NginxSupervisor nginxSupervisor(BoxProperties properties, ApplicationContext context, ServerProperties server,
			FileServerProbe probe, ViewerUrlPolicy viewerUrls, DataPortTls tls) {
		return supervisor(properties, context, server, viewerUrls, tls, true, new NginxStoreCheck(probe, properties));
	}

	@Bean
	@ConditionalOnProperty(name = MODE, havingValue = "external")
	NginxSupervisor externalNginxConfiguration(BoxProperties properties, ApplicationContext context,
			ServerProperties server, ViewerUrlPolicy viewerUrls, DataPortTls tls) {
		return supervisor(properties, context, server, viewerUrls, tls, false, () -> {
		});
	}

	private static NginxSupervisor supervisor(BoxProperties properties, ApplicationContext context,
			ServerProperties server, ViewerUrlPolicy viewerUrls, DataPortTls tls, boolean supervise,
			Runnable readyCheck) {
		// Read at start, after the web server started: its real port, even when random
		return new NginxSupervisor(properties.serving().nginxBinary(), properties.runDirectory(),
				() -> (context instanceof WebServerApplicationContext web && web.getWebServer() != null)
						? web.getWebServer().getPort() : configuredPort(server),
				(appPort) -> NginxConfig.of(properties, appPort, viewerUrls, tls), supervise, readyCheck);
	}

	static int configuredPort(ServerProperties server) {
		return (server.getPort() != null) ? server.getPort() : 8080;
	}

}
