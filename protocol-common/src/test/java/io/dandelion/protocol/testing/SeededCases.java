package io.dandelion.protocol.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.provider.Arguments;
import org.opentest4j.TestAbortedException;

/**
 * The cases of a property test, for a JUnit {@code @ParameterizedTest} with a
 * {@code @MethodSource}. A fixed seed per property makes every build try the same cases;
 * each case draws its values from a seed of its own and is named after it
 * ({@code [42] seed 1234567890}). Explicit edge cases (empty strings, boundaries) come
 * first and count towards the tries.
 * <p>
 * As an extension of the test class, it puts the failing case's seed and the command that
 * re-runs that case alone in the failure message (Surefire's reports name a case by its
 * index only): {@code -Dtest='XxxTests#shouldY' -Ddandelion.test.seed=1234567890}.
 * <pre class="code">
 * &#064;ExtendWith(SeededCases.class)
 * class XxxTests {
 *
 * &#064;ParameterizedTest
 * &#064;MethodSource("texts")
 * void shouldReadOrRefuseAnyText(String text) { ... }
 *
 * static Stream&lt;Arguments&gt; texts() {
 * 	return SeededCases.of(1, 10_000, List.of(arguments("")), (gen) -&gt; arguments(gen.anyString(200)));
 * }
 *
 * }
 * </pre>
 */
public final class SeededCases implements TestExecutionExceptionHandler {

	/**
	 * The system property naming the seed of the one case to run instead of the
	 * property's cases.
	 */
	public static final String SEED_PROPERTY = "dandelion.test.seed";

	private static final String SEED_NAME = "seed ";

	private static final String EDGE_CASE_NAME = "edge case ";

	private static final Pattern CASE_NAME = Pattern.compile("(" + SEED_NAME + "(\\d+)|" + EDGE_CASE_NAME + "\\d+)$");

	private SeededCases() {
		// Instantiated by JUnit only, as an extension
	}

	/**
	 * Cases drawn from the property's seed.
	 * @param seed the property's fixed seed
	 * @param tries how many cases
	 * @param generator the arguments of one case from its values source
	 * @return the cases, each named after its seed
	 */
	public static Stream<Arguments> of(long seed, int tries, Function<Gen, Arguments> generator) {
		return of(seed, tries, List.of(), generator);
	}

	/**
	 * Edge cases first, then cases drawn from the property's seed.
	 * @param seed the property's fixed seed
	 * @param tries how many cases, the edge cases included
	 * @param edgeCases the arguments of the cases to try first
	 * @param generator the arguments of one case from its values source
	 * @return the cases: {@code edge case N}, then each named after its seed
	 */
	public static Stream<Arguments> of(long seed, int tries, List<Arguments> edgeCases,
			Function<Gen, Arguments> generator) {
		String only = System.getProperty(SEED_PROPERTY, "").strip();
		if (!only.isEmpty()) {
			return Stream.of(seeded(Long.parseLong(only), generator));
		}
		if (edgeCases.size() > tries) {
			throw new IllegalArgumentException(edgeCases.size() + " edge cases are more than " + tries + " tries");
		}
		Stream<Arguments> edges = IntStream.range(0, edgeCases.size())
			.mapToObj((i) -> Arguments.argumentSet(EDGE_CASE_NAME + (i + 1), edgeCases.get(i).get()));
		// Case seeds are non-negative so that they are easy to pass on the command line
		SplittableRandom seeds = new SplittableRandom(seed);
		Stream<Arguments> drawn = Stream.generate(() -> seeds.nextLong(0, Long.MAX_VALUE))
			.limit(tries - edgeCases.size())
			.map((caseSeed) -> seeded(caseSeed, generator));
		return Stream.concat(edges, drawn);
	}

	private static Arguments seeded(long caseSeed, Function<Gen, Arguments> generator) {
		return Arguments.argumentSet(SEED_NAME + caseSeed, generator.apply(new Gen(caseSeed)).get());
	}

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		Matcher name = CASE_NAME.matcher(context.getDisplayName());
		// Not a case of ours (a plain @Test of the class), or an assumption not met
		if (!name.find() || failure instanceof TestAbortedException) {
			throw failure;
		}
		String method = context.getRequiredTestClass().getSimpleName() + "#"
				+ context.getRequiredTestMethod().getName();
		String rerun = (name.group(2) != null)
				? "re-run it alone with -Dtest='" + method + "' -D" + SEED_PROPERTY + "=" + name.group(2)
				: "edge cases come first in every run of " + method;
		throw new AssertionError("Failed for " + name.group(1) + " (" + rerun + "): " + failure, failure);
	}

	/**
	 * The values source of one case: uniform draws within bounds, and for unbounded
	 * numbers and text a bias towards small values and boundaries, as property-testing
	 * libraries do.
	 */
	public static final class Gen {

		private static final int[] INT_EDGES = { 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE };

		private static final long[] LONG_EDGES = { 0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE };

		private static final double[] DOUBLE_EDGES = { 0.0, -0.0, 1.0, -1.0, 0.01, Double.MIN_VALUE, Double.MAX_VALUE,
				-Double.MAX_VALUE };

		private final SplittableRandom random;

		private Gen(long seed) {
			this.random = new SplittableRandom(seed);
		}

		/** {@code true} or {@code false}, even odds. */
		public boolean bool() {
			return this.random.nextBoolean();
		}

		/** {@code true} with the given probability. */
		public boolean chance(double probability) {
			return this.random.nextDouble() < probability;
		}

		/** An int from {@code min} to {@code max}, both included. */
		public int intBetween(int min, int max) {
			return (int) longBetween(min, max);
		}

		/** A long from {@code min} to {@code max}, both included. */
		public long longBetween(long min, long max) {
			if (max == Long.MAX_VALUE) {
				return (min == Long.MIN_VALUE) ? this.random.nextLong() : this.random.nextLong(min - 1, max) + 1;
			}
			return this.random.nextLong(min, max + 1);
		}

		/** A double from {@code min} (included) to {@code max} (excluded). */
		public double doubleBetween(double min, double max) {
			return this.random.nextDouble(min, max);
		}

		/** Any int: often a boundary or a small one. */
		public int anyInt() {
			int kind = this.random.nextInt(8);
			if (kind == 0) {
				return INT_EDGES[this.random.nextInt(INT_EDGES.length)];
			}
			return (kind < 4) ? this.random.nextInt(-1000, 1001) : this.random.nextInt();
		}

		/** Any long: often a boundary or a small one. */
		public long anyLong() {
			int kind = this.random.nextInt(8);
			if (kind == 0) {
				return LONG_EDGES[this.random.nextInt(LONG_EDGES.length)];
			}
			return (kind < 4) ? this.random.nextLong(-1000, 1001) : this.random.nextLong();
		}

		/**
		 * Any finite double: often a boundary or a small one, else of any magnitude.
		 */
		public double anyDouble() {
			int kind = this.random.nextInt(8);
			if (kind == 0) {
				return DOUBLE_EDGES[this.random.nextInt(DOUBLE_EDGES.length)];
			}
			if (kind < 4) {
				return this.random.nextDouble(-1000, 1000);
			}
			double value;
			do {
				value = Double.longBitsToDouble(this.random.nextLong());
			}
			while (!Double.isFinite(value));
			return value;
		}

		/** Any UTF-16 char, unpaired surrogates included; ASCII half of the time. */
		public char anyChar() {
			return (char) (this.random.nextBoolean() ? this.random.nextInt(0x80) : this.random.nextInt(0x10000));
		}

		/** A string of any chars, at most {@code maxLength} long. */
		public String anyString(int maxLength) {
			StringBuilder text = new StringBuilder();
			for (int i = size(0, maxLength); i > 0; i--) {
				text.append(anyChar());
			}
			return text.toString();
		}

		/** A string of chars from {@code alphabet}, at most {@code maxLength} long. */
		public String string(String alphabet, int maxLength) {
			return string(alphabet, 0, maxLength);
		}

		/** A string of chars from {@code alphabet} with a length in the bounds. */
		public String string(String alphabet, int minLength, int maxLength) {
			StringBuilder text = new StringBuilder();
			for (int i = size(minLength, maxLength); i > 0; i--) {
				text.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
			}
			return text.toString();
		}

		/** Random bytes, at most {@code maxLength} of them. */
		public byte[] bytes(int maxLength) {
			byte[] bytes = new byte[size(0, maxLength)];
			this.random.nextBytes(bytes);
			return bytes;
		}

		/** One of the values, even odds. */
		public <T> T oneOf(List<T> values) {
			return values.get(this.random.nextInt(values.size()));
		}

		/** One of the values, even odds. */
		@SafeVarargs
		public final <T> T oneOf(T... values) {
			return values[this.random.nextInt(values.length)];
		}

		/** A list of generated elements with a size in the bounds. */
		public <T> List<T> listOf(int minSize, int maxSize, Function<Gen, T> element) {
			List<T> list = new ArrayList<>();
			for (int i = size(minSize, maxSize); i > 0; i--) {
				list.add(element.apply(this));
			}
			return list;
		}

		/**
		 * A size in the bounds, a quarter of the time one of the four smallest: short
		 * strings and lists are where edge cases hide.
		 */
		public int size(int min, int max) {
			return intBetween(min, this.random.nextInt(4) == 0 ? Math.min(max, min + 3) : max);
		}

	}

}
