package io.dandelion.agent.serving;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

import io.dandelion.agent.config.BoxConfigKeys;
import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ServiceRole;
import io.dandelion.support.security.SecurityProperties;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar box-agent.jar --print-nginx-config}: prints the nginx configuration of
 * the box's settings and exits, for an nginx run by the operator. It binds the settings
 * only: no web server, no Redis. With signed viewer URLs the configuration holds the
 * box's URL secret: keep the file it is saved to readable by nginx's master only. With
 * {@code TLS_CERTIFICATE} and {@code TLS_PRIVATE_KEY} it serves both ports over TLS with
 * those files.
 */
public final class NginxConfigPrinter {

	/** The command-line option. */
	public static final String OPTION = "--print-nginx-config";

	private NginxConfigPrinter() {
	}

	/**
	 * Whether the arguments ask for the configuration.
	 * @param args the command line
	 * @return true when {@value #OPTION} is among them
	 */
	public static boolean isRequested(String[] args) {
		return Arrays.asList(args).contains(OPTION);
	}

	/**
	 * Prints the configuration.
	 * @param args the command line (settings such as {@code --config=PATH} apply)
	 * @param out where to print
	 */
	public static void print(String[] args, PrintStream out) {
		SpringApplication application = new SpringApplication(Settings.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		// The configuration goes to stdout: keep log lines out of it
		application.setDefaultProperties(Map.of("logging.level.root", "off"));
		String[] settings = Arrays.stream(args).filter((arg) -> !arg.equals(OPTION)).toArray(String[]::new);
		try (ConfigurableApplicationContext context = application.run(settings)) {
			BoxProperties properties = context.getBean(BoxProperties.class);
			BoxSecurity security = BoxSecurity.of(context.getBean(SecurityProperties.class), properties);
			int appPort = context.getEnvironment().getProperty("server.port", Integer.class, 8080);
			// No web server here: the box's TLS settings are read the way its
			// web server reads them
			Ssl ssl = Binder.get(context.getEnvironment()).bind("server.ssl", Ssl.class).orElse(null);
			out.print(NginxConfig.of(properties, appPort, ViewerUrlPolicy.of(security), DataPortTls.of(ssl)).render());
			out.flush();
		}
	}

	/**
	 * The only source of the printer's context; not a {@code @Configuration}, so the
	 * application's component scan does not pick it up. Its role makes it read the box's
	 * {@code config.yaml}.
	 */
	@EnableConfigurationProperties({ BoxProperties.class, SecurityProperties.class })
	@ServiceRole(value = Role.BOX, keys = BoxConfigKeys.class)
	static class Settings {

	}

}
