package io.dandelion.publisher.trust;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.pool.BoxCandidate;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.publisher.pool.CopyVerifier;
import io.dandelion.publisher.publish.FileRepository.Published;
import io.dandelion.publisher.publish.FileRepository;
import io.dandelion.publisher.publish.PublicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Checks what viewers report. The publisher believes no viewer: it takes a report only
 * for a URL that is exactly where one of its boxes serves the file (scheme, address, data
 * port and path; it never fetches the URL it was given), of a file it recorded on that
 * box, then fetches the file from the box itself, with its own signed URL, and compares
 * it with the SHA-256 it published. Only a mismatch it saw itself excludes the box
 * ({@link BoxPool#exclude}). Reports are limited per client address, and one box's copy
 * of one file is checked once at a time, whoever reports it.
 */
@Service
class ReportService {

	private static final Logger logger = LoggerFactory.getLogger(ReportService.class);

	/** Reports one client address may send per minute. */
	static final int REPORTS_PER_MINUTE = 20;

	/** Client addresses whose reports are counted at once. */
	private static final int MAX_CLIENTS = 10_000;

	/** Copies checked at once, all reports together. */
	static final int MAX_CHECKS = 32;

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_URL_LENGTH = 4096;

	private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

	private final BoxPool pool;

	private final FileRepository files;

	private final CopyVerifier copies;

	private final String publisherId;

	private final long maxFileSize;

	private final ReportLimiter limiter;

	private final Map<String, Mono<Verdict>> running = new ConcurrentHashMap<>();

	ReportService(BoxPool pool, FileRepository files, CopyVerifier copies, NodeId nodeId,
			PublisherProperties properties, Clock clock) {
		this.pool = pool;
		this.files = files;
		this.copies = copies;
		this.publisherId = nodeId.value();
		this.maxFileSize = properties.publish().maxFrameSize().toBytes();
		this.limiter = new ReportLimiter(REPORTS_PER_MINUTE, Duration.ofMinutes(1), MAX_CLIENTS, clock);
	}

	/**
	 * Counts a report against its sender's limit.
	 * @param client the sender's address, if known
	 * @return completes when it may be checked; {@link RefusedReportException} (429) when
	 * the sender sent too many
	 */
	Mono<Void> admit(Optional<String> client) {
		if (!this.limiter.tryAcquire(client.orElse("unknown"))) {
			logger.debug("Refused a report from {}: over {} a minute", client.orElse("an unknown address"),
					REPORTS_PER_MINUTE);
			return Mono.error(RefusedReportException
				.tooMany("At most " + REPORTS_PER_MINUTE + " reports a minute are taken from one address"));
		}
		return Mono.empty();
	}

	/**
	 * Checks a report.
	 * @param report what the viewer says
	 * @return the verdict; {@link RefusedReportException} when the report is not checked
	 */
	Mono<Verdict> check(ViewerReport report) {
		Target target;
		try {
			target = target(report);
		}
		catch (RefusedReportException ex) {
			logger.debug("Refused a report: {}", ex.getBody().getDetail());
			return Mono.error(ex);
		}
		if (this.pool.excludedUntil(target.box().id()).isPresent()) {
			// Already caught serving other bytes: it gets no more of this publisher's
			// attention
			return Mono.just(Verdict.CONFIRMED);
		}
		return this.files.published(target.name()).flatMap((published) -> {
			if (published.isEmpty() || !published.get().boxes().contains(target.box().id())) {
				return Mono.error(RefusedReportException.unknownCopy("Box " + target.box().id() + " holds no copy of "
						+ target.name() + " that this publisher knows of"));
			}
			if (published.get().sha256().equals(target.reportedSha256())) {
				// The viewer got the published bytes: there is nothing to check
				return Mono.just(Verdict.NOT_CONFIRMED);
			}
			return once(target, published.get());
		});
	}

	/** The box and file a report is about, if the URL is exactly that box's URL of it. */
	private Target target(ViewerReport report) {
		if (report.filePath() == null || report.url() == null || report.sha256() == null) {
			throw RefusedReportException.invalid("A report has FILE_PATH, URL and SHA256");
		}
		String name;
		try {
			name = PublicNames.canonical(report.filePath());
		}
		catch (IllegalArgumentException ex) {
			throw RefusedReportException.invalid("FILE_PATH is not a file's name: " + ex.getMessage());
		}
		if (!SHA256.matcher(report.sha256()).matches()) {
			throw RefusedReportException.invalid("SHA256 is 64 hexadecimal digits");
		}
		if (report.url().length() > MAX_URL_LENGTH) {
			throw RefusedReportException.invalid("URL is over " + MAX_URL_LENGTH + " characters");
		}
		URI url;
		try {
			url = new URI(report.url());
		}
		catch (URISyntaxException ex) {
			throw RefusedReportException.invalid("URL is not a URL");
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("http") || scheme.equals("https")) || url.getRawUserInfo() != null
				|| url.getHost() == null) {
			throw RefusedReportException.invalid("URL is not a box's file URL (http(s)://{IP}:{DATA_PORT}/…)");
		}
		String host = url.getHost();
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port = (url.getPort() >= 0) ? url.getPort() : (scheme.equals("https") ? 443 : 80);
		String address = scheme + "://" + host + ":" + port;
		BoxCandidate box = this.pool.boxServing(host, port)
			.filter((serving) -> serving.dataScheme().equals(scheme))
			.orElseThrow(() -> RefusedReportException
				.unknownCopy("No box of this publisher's pool serves files at " + address));
		// Decoded, as the box's file server reads it: no other spelling names this file
		if (!BoxCandidate.filePath(this.publisherId, name).equals(url.getPath())) {
			throw RefusedReportException.invalid("URL is not where box " + box.id() + " serves " + name);
		}
		return new Target(box, name, report.sha256().toLowerCase(Locale.ROOT));
	}

	/** Checks one box's copy of one file, joining a check of the same copy under way. */
	private Mono<Verdict> once(Target target, Published published) {
		String key = target.box().id() + " " + target.name();
		Mono<Verdict> running = this.running.get(key);
		if (running != null) {
			return running;
		}
		if (this.running.size() >= MAX_CHECKS) {
			return Mono.error(RefusedReportException
				.tooMany("This publisher is checking " + MAX_CHECKS + " reports already; report again later"));
		}
		AtomicReference<Mono<Verdict>> self = new AtomicReference<>();
		// Cached: every report of the copy gets the one verdict; removed once known
		Mono<Verdict> check = fetchAndCompare(target, published)
			.doFinally((signal) -> this.running.remove(key, self.get()))
			.cache();
		self.set(check);
		Mono<Verdict> earlier = this.running.putIfAbsent(key, check);
		return (earlier != null) ? earlier : check;
	}

	private Mono<Verdict> fetchAndCompare(Target target, Published published) {
		BoxCandidate box = target.box();
		String name = target.name();
		long limit = (published.size() >= 0) ? published.size() : this.maxFileSize;
		return this.copies.fetch(box, name, limit, CHECK_TIMEOUT).map((copy) -> {
			if (!copy.overLimit() && copy.sha256().equals(published.sha256())) {
				logger.info("A viewer reported box {}'s copy of {}, which it serves with the published SHA-256: "
						+ "not confirmed", box.id(), name);
				return Verdict.NOT_CONFIRMED;
			}
			String served = copy.overLimit() ? "more than the " + limit + " bytes published"
					: "with SHA-256 " + copy.sha256() + " (" + copy.size() + " bytes)";
			logger.warn("A viewer reported box {}'s copy of {}, and the box serves it {} instead of SHA-256 {}: "
					+ "confirmed", box.id(), name, served, published.sha256());
			this.pool.exclude(box.id(), name, served + " instead of SHA-256 " + published.sha256());
			return Verdict.CONFIRMED;
		}).onErrorResume((ex) -> {
			// Without bytes to compare nothing is confirmed: the file may have expired
			logger.info("A viewer reported box {}'s copy of {}, which could not be checked: {}", box.id(), name,
					ex.getMessage());
			return Mono.just(Verdict.NOT_CONFIRMED);
		});
	}

	/**
	 * What the publisher found.
	 */
	enum Verdict {

		/** The box served other bytes than the publisher published. */
		CONFIRMED("confirmed"),

		/**
		 * The box served the published bytes, or could not be asked: nothing happened.
		 */
		NOT_CONFIRMED("not-confirmed");

		private final String value;

		Verdict(String value) {
			this.value = value;
		}

		/**
		 * The verdict as answered.
		 * @return {@code confirmed} or {@code not-confirmed}
		 */
		String value() {
			return this.value;
		}

	}

	/**
	 * What a report is about.
	 *
	 * @param box the box the bytes came from
	 * @param name the file's public name
	 * @param reportedSha256 what the viewer says they hashed to, lowercase
	 */
	private record Target(BoxCandidate box, String name, String reportedSha256) {

	}

}
