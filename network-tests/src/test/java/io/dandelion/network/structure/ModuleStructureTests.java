package io.dandelion.network.structure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the code base, read from the sources: no package cycles inside a module,
 * protocol-common the wire alone, no service module depending on another.
 */
class ModuleStructureTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final List<String> SERVICES = List.of("entrance-service", "box-agent", "publisher-service");

	/** A use of a type of the module's own packages: an import or a qualified name. */
	private static final Pattern OWN_TYPE = Pattern.compile("io\\.dandelion\\.([a-z][a-z0-9_.]*?)\\.[A-Z]");

	@ParameterizedTest
	@CsvSource({ "protocol-common, protocol", "service-support, support", "entrance-service, entrance",
			"box-agent, agent", "publisher-service, publisher" })
	void shouldHaveNoPackageCycles(String module, String base) throws IOException {
		Map<String, Set<String>> graph = packageGraph(module, base);
		assertThat(graph).as("%s has packages", module).isNotEmpty();
		assertThat(cycles(graph)).as("package cycles in %s (graph: %s)", module, graph).isEmpty();
	}

	@Test
	void shouldFindACycleWhereTwoPackagesUseEachOther() {
		Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
		assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
		assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
	}

	@Test
	void shouldKeepProtocolCommonToTheWireAndJackson() throws IOException {
		Pattern imports = Pattern.compile("^import (?:static )?([a-z][\\w.]*)\\.", Pattern.MULTILINE);
		Map<Path, Set<String>> foreign = new TreeMap<>();
		for (Path source : sources("protocol-common")) {
			Matcher matcher = imports.matcher(Files.readString(source));
			while (matcher.find()) {
				String name = matcher.group(1);
				if (!name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("io.dandelion.protocol")
						&& !name.startsWith("com.fasterxml.jackson")) {
					foreign.computeIfAbsent(ROOT.relativize(source), (key) -> new TreeSet<>()).add(name);
				}
			}
		}
		assertThat(foreign).as("imports from outside the JDK, Jackson and the protocol").isEmpty();
		String pom = Files.readString(ROOT.resolve("protocol-common/pom.xml"));
		String mainDependencies = pom
			.replaceAll("(?s)<dependency>(?:(?!</dependency>).)*<scope>test</scope>.*?</dependency>", "");
		assertThat(artifactIds(mainDependencies)).containsExactly("jackson-databind");
	}

	@Test
	void shouldNotLetAServiceDependOnAnotherEvenInTests() throws IOException {
		for (String service : SERVICES) {
			Set<String> dependencies = artifactIds(Files.readString(ROOT.resolve(service).resolve("pom.xml")));
			assertThat(dependencies).as("%s/pom.xml", service)
				.doesNotContainAnyElementsOf(SERVICES.stream().filter((other) -> !other.equals(service)).toList());
		}
	}

	private static Set<String> artifactIds(String pom) {
		String dependencies = pom.replaceAll("(?s)<parent>.*?</parent>", "")
			.replaceAll("(?s)<plugin>.*?</plugin>", "")
			.replaceAll("(?s)^.*?<dependencies>", "");
		Matcher matcher = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(dependencies);
		Set<String> ids = new TreeSet<>();
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	private static Map<String, Set<String>> packageGraph(String module, String base) throws IOException {
		Path root = ROOT.resolve(module).resolve("src/main/java/io/dandelion").resolve(base);
		Map<String, Set<String>> graph = new TreeMap<>();
		for (Path source : sources(module)) {
			String from = packageOf(root.relativize(source.getParent()));
			Set<String> targets = graph.computeIfAbsent(from, (key) -> new TreeSet<>());
			Matcher matcher = OWN_TYPE.matcher(withoutComments(Files.readString(source)));
			while (matcher.find()) {
				String name = matcher.group(1);
				if (name.equals(base) || name.startsWith(base + ".")) {
					String to = name.equals(base) ? "(root)" : name.substring(base.length() + 1);
					if (!to.equals(from)) {
						targets.add(to);
					}
				}
			}
		}
		return graph;
	}

	/** Javadoc may name any type without making its package a dependency. */
	private static String withoutComments(String source) {
		return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
	}

	private static String packageOf(Path relative) {
		String name = relative.toString().replace('/', '.');
		return name.isEmpty() ? "(root)" : name;
	}

	private static List<Path> sources(String module) throws IOException {
		try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
			return files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
		}
	}

	/** The strongly connected components of more than one package (Tarjan). */
	static List<Set<String>> cycles(Map<String, Set<String>> graph) {
		return new Tarjan(graph).components();
	}

	private static final class Tarjan {

		private final Map<String, Set<String>> graph;

		private final Map<String, Integer> index = new HashMap<>();

		private final Map<String, Integer> low = new HashMap<>();

		private final Deque<String> stack = new ArrayDeque<>();

		private final List<Set<String>> components = new ArrayList<>();

		Tarjan(Map<String, Set<String>> graph) {
			this.graph = graph;
		}

		List<Set<String>> components() {
			Set<String> nodes = new TreeSet<>(this.graph.keySet());
			this.graph.values().forEach(nodes::addAll);
			for (String node : nodes) {
				if (!this.index.containsKey(node)) {
					visit(node);
				}
			}
			return this.components;
		}

		private void visit(String node) {
			this.index.put(node, this.index.size());
			this.low.put(node, this.index.get(node));
			this.stack.push(node);
			for (String next : this.graph.getOrDefault(node, Set.of())) {
				if (!this.index.containsKey(next)) {
					visit(next);
					this.low.put(node, Math.min(this.low.get(node), this.low.get(next)));
				}
				else if (this.stack.contains(next)) {
					this.low.put(node, Math.min(this.low.get(node), this.index.get(next)));
				}
			}
			if (this.low.get(node).equals(this.index.get(node))) {
				Set<String> component = new TreeSet<>();
				String member;
				do {
					member = this.stack.pop();
					component.add(member);
				}
				while (!member.equals(node));
				if (component.size() > 1) {
					this.components.add(component);
				}
			}
		}

	}

}
