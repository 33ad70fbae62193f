package io.dandelion.entrance.probe;

/**
 * Where a box stands after one probe was recorded; the names are those the script
 * {@code record-probe.lua} answers with.
 */
enum ProbeVerdict {

	/** Answered, and not suspended. */
	HEALTHY("healthy"),

	/** Failed, but not yet as often in a row as suspends it. */
	FAILING("failing"),

	/** Failed as often in a row as suspends it: suspended by this probe. */
	SUSPENDED("suspended"),

	/** Suspended before and still: failed again, or not yet answered often enough. */
	STILL_SUSPENDED("still-suspended"),

	/** Answered as often in a row as reinstates it: reinstated by this probe. */
	REINSTATED("reinstated"),

	/** Left the directory while it was probed: nothing recorded. */
	GONE("gone");

	private final String scriptName;

	ProbeVerdict(String scriptName) {
		this.scriptName = scriptName;
	}

	static ProbeVerdict of(String scriptName) {
		for (ProbeVerdict verdict : values()) {
			if (verdict.scriptName.equals(scriptName)) {
				return verdict;
			}
		}
		throw new IllegalStateException("record-probe.lua answered " + scriptName);
	}

}
