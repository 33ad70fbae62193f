package io.dandelion.protocol.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code /actuator/prometheus} page, fetched over HTTP as Prometheus fetches
 * it, with the samples read by metric name and labels.
 */
public final class PrometheusScrape {

	private final String text;

	private PrometheusScrape(String text) {
		this.text = text;
	}

	/**
	 * Scrapes a service on 127.0.0.1.
	 * @param port the service's HTTP port
	 * @return the page
	 */
	public static PrometheusScrape of(int port) {
		String text = TestClients.local(port)
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return new PrometheusScrape(text);
	}

	/**
	 * The value of the first sample of a metric whose labels contain the given text.
	 * @param name the metric as Prometheus names it, e.g.
	 * {@code dandelion_box_files_stored_total}
	 * @param labels text its labels contain, e.g. {@code outcome="stored"}; empty for any
	 * @return the value, {@code null} when there is no such sample
	 */
	public Double value(String name, String labels) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(this.text);
		while (matcher.find()) {
			String found = (matcher.group(1) != null) ? matcher.group(1) : "";
			if (found.contains(labels)) {
				return Double.valueOf(matcher.group(2));
			}
		}
		return null;
	}

	/**
	 * The value of the first sample of a metric.
	 * @param name the metric as Prometheus names it
	 * @return the value, {@code null} when there is no such sample
	 */
	public Double value(String name) {
		return value(name, "");
	}

	/**
	 * The {@code # HELP} line of a metric.
	 * @param name the metric as Prometheus names it
	 * @return its description, {@code null} when the page has none
	 */
	public String help(String name) {
		Matcher matcher = Pattern.compile("(?m)^# HELP " + Pattern.quote(name) + " (.*)$").matcher(this.text);
		return matcher.find() ? matcher.group(1) : null;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
