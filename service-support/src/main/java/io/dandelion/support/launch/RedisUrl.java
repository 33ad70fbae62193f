package io.dandelion.support.launch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Redis given as {@code redis://[:PASSWORD@]HOST[:PORT][/DB]} ({@code REDIS_URL}).
 *
 * @param host its host
 * @param port its port, 6379 unless given
 * @param database the database index, 0 unless given
 * @param password its password, empty for none
 */
record RedisUrl(String host, int port, int database, String password) {

	private static final Pattern FORM = Pattern
		.compile("redis://(?:[^:@/]*(?::([^@/\\n]*))?@)?([^:/@\\s]+)(?::([0-9]{1,5}))?(?:/([0-9]{1,5}))?/?");

	static RedisUrl parse(String url) {
		Matcher matcher = FORM.matcher(url);
		if (!matcher.matches()) {
			throw new LaunchException("REDIS_URL must look like redis://[:PASSWORD@]HOST[:PORT][/DB], not " + url);
		}
		int port = (matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 6379;
		if (port < 1 || port > 65535) {
			throw new LaunchException("REDIS_URL names port " + port + ", not one of 1 to 65535: " + url);
		}
		int database = (matcher.group(4) != null) ? Integer.parseInt(matcher.group(4)) : 0;
		String password = (matcher.group(1) != null) ? matcher.group(1) : "";
		return new RedisUrl(matcher.group(2), port, database, password);
	}

}
