package io.dandelion.agent.sysinfo;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.store.FileStore;
import io.dandelion.agent.traffic.ServedBytes;
import io.dandelion.protocol.BoxMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Measures the figures a box reports in each EXCHANGE with OSHI, without shelling out as
 * the original did ({@code top}, {@code lscpu}): CPU time split over the last period,
 * load, available memory, the store's file system, network counters, and the bandwidth
 * served to viewers. OSHI reads {@code /proc} and blocks, so sampling runs off the event
 * loop.
 */
@Component
public class SystemSampler {

	private static final Logger logger = LoggerFactory.getLogger(SystemSampler.class);

	private static final double GIB = 1024.0 * 1024 * 1024;

	private static final TickType[] REPORTED = { TickType.USER, TickType.SYSTEM, TickType.NICE, TickType.IDLE,
			TickType.IOWAIT, TickType.IRQ, TickType.SOFTIRQ };

	private final Path storeDirectory;

	private final double uplinkMbps;

	private final ServedBytes served;

	private final FileStore store;

	private final long maxStorage;

	// Guarded by this: the previous sample, for figures over the last period
	private HardwareAbstractionLayer hardware;

	private long[] previousTicks;

	private double[] previousPercentages;

	private long previousServed;

	private long previousNanos = System.nanoTime();

	SystemSampler(BoxProperties properties, ServedBytes served, FileStore store) {
		this.storeDirectory = properties.baseDirectory();
		this.uplinkMbps = properties.sysinfo().uplinkMbps();
		this.served = served;
		this.store = store;
		this.maxStorage = properties.store().maxStorage().toBytes();
	}

	/**
	 * Measures now; CPU and bandwidth figures cover the time since the previous sample
	 * (since boot, and since start, for the first one).
	 * @return the figures; one that cannot be measured is left out
	 */
	public Mono<BoxMetrics> sample() {
		return Mono.fromCallable(this::measure).subscribeOn(Schedulers.boundedElastic());
	}

	synchronized BoxMetrics measure() {
		if (this.hardware == null) {
			this.hardware = new SystemInfo().getHardware();
		}
		CentralProcessor processor = this.hardware.getProcessor();
		double[] cpu = cpuPercentages(processor.getSystemCpuLoadTicks());
		double[] load = processor.getSystemLoadAverage(3);
		GlobalMemory memory = this.hardware.getMemory();
		long maxHz = processor.getMaxFreq();
		if (maxHz <= 0) {
			maxHz = processor.getProcessorIdentifier().getVendorFreq();
		}
		long[] disk = disk();
		long[] network = network();
		return new BoxMetrics((maxHz > 0) ? round(maxHz / 1_000_000.0, 0) : null, processor.getLogicalProcessorCount(),
				cpu[0], cpu[1], cpu[2], cpu[3], cpu[4], cpu[5], cpu[6], loadAverage(load, 0), loadAverage(load, 1),
				loadAverage(load, 2), memory.getTotal() / 1024, memory.getAvailable() / 1024,
				(disk != null) ? round(disk[0] / GIB, 2) : null, (disk != null) ? round(disk[1] / GIB, 2) : null,
				this.uplinkMbps, servedBytesPerSecond(), (network != null) ? network[0] : null,
				(network != null) ? network[1] : null, this.store.usedBytes(), this.maxStorage);
	}

	/**
	 * CPU-USR, -SYS, -NIC, -IDLE, -IO, -IRQ, -SIRQ in % of all ticks since the last call.
	 */
	private double[] cpuPercentages(long[] ticks) {
		long[] previous = (this.previousTicks != null) ? this.previousTicks : new long[ticks.length];
		long total = 0;
		for (int i = 0; i < ticks.length; i++) {
			// Steal time is counted in the total but, as in the original, not reported
			total += Math.max(0, ticks[i] - previous[i]);
		}
		this.previousTicks = ticks;
		if (total == 0 && this.previousPercentages != null) {
			// Two samples within one clock tick: nothing new to say
			return this.previousPercentages;
		}
		double[] percentages = new double[REPORTED.length];
		for (int i = 0; i < REPORTED.length; i++) {
			int index = REPORTED[i].getIndex();
			percentages[i] = (total > 0) ? round(100.0 * Math.max(0, ticks[index] - previous[index]) / total, 1) : 0;
		}
		this.previousPercentages = percentages;
		return percentages;
	}

	private long servedBytesPerSecond() {
		long now = System.nanoTime();
		long total = this.served.total();
		double seconds = (now - this.previousNanos) / 1e9;
		long rate = (seconds > 0) ? Math.round((total - this.previousServed) / seconds) : 0;
		this.previousNanos = now;
		this.previousServed = total;
		return rate;
	}

	/**
	 * Size and usable space of the store's file system (of its nearest existing parent).
	 */
	private long[] disk() {
		Path directory = this.storeDirectory.toAbsolutePath();
		while (directory != null && !Files.exists(directory)) {
			directory = directory.getParent();
		}
		if (directory == null) {
			return null;
		}
		try {
			// A file store of Java's, not the box's FileStore
			var fileSystem = Files.getFileStore(directory);
			return new long[] { fileSystem.getTotalSpace(), fileSystem.getUsableSpace() };
		}
		catch (IOException ex) {
			logger.debug("Cannot measure the file system of {}: {}", directory, ex.toString());
			return null;
		}
	}

	/**
	 * Bytes received and sent by the network interfaces (loopback excluded) since boot.
	 */
	private long[] network() {
		try {
			List<NetworkIF> interfaces = this.hardware.getNetworkIFs();
			long received = 0;
			long sent = 0;
			for (NetworkIF network : interfaces) {
				received += network.getBytesRecv();
				sent += network.getBytesSent();
			}
			return new long[] { received, sent };
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot read the network counters: {}", ex.toString());
			return null;
		}
	}

	private static Double loadAverage(double[] load, int index) {
		return (load.length > index && load[index] >= 0) ? round(load[index], 2) : null;
	}

	private static double round(double value, int decimals) {
		return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
	}

}
