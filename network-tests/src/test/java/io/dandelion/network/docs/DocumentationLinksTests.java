package io.dandelion.network.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documentation's links honest: in README.md and every {@code docs/*.md}, each
 * relative Markdown link leads to a file of the repository, and each {@code #anchor}, in
 * the same page or another, to a heading of its target as GitHub names it. README.md is
 * the front door and stays short; the details live in docs/.
 */
class DocumentationLinksTests {

	/** The repository root, seen from the module directory Maven runs tests in. */
	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final int README_MAX_LINES = 200;

	/** {@code [text](destination "title")} and {@code ![alt](destination)}. */
	private static final Pattern INLINE_LINK = Pattern
		.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");

	/** {@code [label]: destination}, a reference definition. */
	private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");

	private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:|^//");

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	@Test
	void shouldKeepTheReadmeShort() throws IOException {
		List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
		assertThat(lines).as("README.md is the front door: its details belong in docs/")
			.hasSizeLessThanOrEqualTo(README_MAX_LINES);
	}

	@Test
	void shouldLeadEveryRelativeLinkToAFileOfTheRepository() {
		List<Link> links = links();
		assertThat(links).as("relative links of README.md and docs/*.md").isNotEmpty();
		assertThat(links).as("README.md links into docs/")
			.anyMatch((link) -> link.source().endsWith("README.md") && link.path().startsWith("docs/"));
		List<String> broken = links.stream().filter((link) -> !link.path().isEmpty()).filter((link) -> {
			Path target = link.target();
			return !target.startsWith(ROOT) || !Files.exists(target);
		}).map((link) -> link + ": no such file").toList();
		assertThat(broken).as("links to missing files").isEmpty();
	}

	@Test
	void shouldLeadEveryAnchorToAHeadingOfItsTarget() {
		List<String> broken = new ArrayList<>();
		for (Link link : links()) {
			if (link.anchor() == null || link.anchor().isEmpty()) {
				continue;
			}
			Path target = link.target();
			if (!Files.isRegularFile(target)) {
				continue; // reported by the test of files
			}
			if (!target.getFileName().toString().endsWith(".md")) {
				broken.add(link + ": an anchor into a file that is not Markdown");
			}
			else if (!anchorsOf(target).contains(link.anchor())) {
				broken.add(link + ": no heading '#" + link.anchor() + "' in " + ROOT.relativize(target) + " (it has "
						+ anchorsOf(target) + ")");
			}
		}
		assertThat(broken).as("anchors that match no heading").isEmpty();
	}

	@Test
	void shouldSlugHeadingsAsGitHubDoes() {
		assertThat(anchorsOf(List.of("# Dandelion", "## Modules and ports", "### RTMP ingest (OBS)",
				"## Troubleshooting: nginx serves nothing (403 or 404)",
				"### EXCHANGE (box → entrance, `ExchangeRequest`)",
				"## The whole network on one machine: `./dandelion up`", "## Names with blanks, `%`, `?` or `#`",
				"## REST API", "## REST API", "```", "# not a heading, in a code block", "```",
				"## [Linked](other.md) title", "## BOX_SET and *emphasis* ##")))
			.containsExactly("dandelion", "modules-and-ports", "rtmp-ingest-obs",
					"troubleshooting-nginx-serves-nothing-403-or-404", "exchange-box--entrance-exchangerequest",
					"the-whole-network-on-one-machine-dandelion-up", "names-with-blanks---or-", "rest-api",
					"rest-api-1", "linked-title", "box_set-and-emphasis");
	}

	/** Every relative link of README.md and docs/*.md, outside code. */
	private static List<Link> links() {
		List<Link> links = new ArrayList<>();
		for (Path document : documents()) {
			List<String> lines = read(document);
			boolean fenced = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (FENCE.matcher(line).find()) {
					fenced = !fenced;
					continue;
				}
				if (fenced) {
					continue;
				}
				String text = CODE_SPAN.matcher(line).replaceAll("");
				List<String> destinations = new ArrayList<>();
				Matcher inline = INLINE_LINK.matcher(text);
				while (inline.find()) {
					destinations.add(inline.group(1));
				}
				Matcher definition = REFERENCE_DEFINITION.matcher(text);
				if (definition.find()) {
					destinations.add(definition.group(1));
				}
				for (String destination : destinations) {
					if (!SCHEME.matcher(destination).find()) {
						links.add(Link.parse(document, i + 1, destination));
					}
				}
			}
		}
		return links;
	}

	private static List<Path> documents() {
		List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.getFileName().toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return documents;
	}

	private Set<String> anchorsOf(Path markdown) {
		return this.anchors.computeIfAbsent(markdown, (path) -> anchorsOf(read(path)));
	}

	/**
	 * The anchors GitHub gives the headings of a Markdown text: the heading's text
	 * lower-cased, everything but letters, digits, spaces, {@code -} and {@code _}
	 * dropped, spaces turned into {@code -}; a repeated anchor gets {@code -1},
	 * {@code -2}, ...
	 */
	private static Set<String> anchorsOf(List<String> lines) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean fenced = false;
		for (String line : lines) {
			if (FENCE.matcher(line).find()) {
				fenced = !fenced;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (fenced || !heading.matches()) {
				continue;
			}
			String slug = slug(heading.group(2));
			int count = seen.merge(slug, 1, Integer::sum);
			anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
		}
		return anchors;
	}

	private static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
		text = text.replaceAll("<[^>]+>", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
	}

	private static List<String> read(Path path) {
		try {
			return Files.readAllLines(path, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A relative link: where it is written and where it leads.
	 *
	 * @param source the document holding it
	 * @param line its line, from 1
	 * @param path the destination's path, decoded; empty for an anchor of the same page
	 * @param anchor the decoded fragment, or {@code null} without one
	 */
	private record Link(Path source, int line, String path, String anchor) {

		static Link parse(Path source, int line, String destination) {
			int hash = destination.indexOf('#');
			String path = (hash < 0) ? destination : destination.substring(0, hash);
			String anchor = (hash < 0) ? null : decode(destination.substring(hash + 1));
			int query = path.indexOf('?');
			if (query >= 0) {
				path = path.substring(0, query);
			}
			return new Link(source, line, decode(path), anchor);
		}

		Path target() {
			if (this.path.isEmpty()) {
				return this.source;
			}
			Path base = this.path.startsWith("/") ? ROOT : this.source.getParent();
			return base.resolve(this.path.startsWith("/") ? this.path.substring(1) : this.path).normalize();
		}

		private static String decode(String text) {
			return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return ROOT.relativize(this.source) + ":" + this.line + " (" + this.path
					+ ((this.anchor != null) ? "#" + this.anchor : "") + ")";
		}

	}

}
