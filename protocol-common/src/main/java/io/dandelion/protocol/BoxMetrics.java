package io.dandelion.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The system figures a box reports in each EXCHANGE. On the wire they are top-level
 * string fields with the original's hyphenated names ({@code "CPU-IDLE": "98.4"}); here
 * they are numbers, parsed once by the codec. Every figure is optional: {@code null}
 * means the box did not report it.
 *
 * @param cpuMhz maximum CPU frequency in MHz ({@code CPU-HZ})
 * @param cpuCount number of logical CPUs ({@code CPU-NUM})
 * @param cpuUser percentage of CPU time in user mode ({@code CPU-USR})
 * @param cpuSystem percentage in kernel mode ({@code CPU-SYS})
 * @param cpuNice percentage in niced user processes ({@code CPU-NIC})
 * @param cpuIdle percentage idle ({@code CPU-IDLE})
 * @param cpuIoWait percentage waiting for I/O ({@code CPU-IO})
 * @param cpuIrq percentage serving interrupts ({@code CPU-IRQ})
 * @param cpuSoftIrq percentage serving soft interrupts ({@code CPU-SIRQ})
 * @param loadAverage1 load average over 1 minute ({@code LOADAVG-1})
 * @param loadAverage5 load average over 5 minutes ({@code LOADAVG-5})
 * @param loadAverage15 load average over 15 minutes ({@code LOADAVG-15})
 * @param memoryTotalKib total memory in KiB ({@code MEM-TOTAL}). An original box sends
 * the figure {@code top} prints, in {@code top}'s unit (KiB on old procps, MiB with a
 * decimal on current ones, e.g. {@code "24105.3"}); decimals are rounded to whole numbers
 * and the unit is taken as sent. Ranking does not use memory.
 * @param memoryAvailableKib available memory in KiB ({@code MEM-AVAIL}). An original box
 * sends its <em>used</em> memory here ({@code top}'s third figure), in {@code top}'s
 * unit; it is kept as sent, rounded, and shown as such by the boxes API
 * @param diskTotalGib size of the store's file system in GiB ({@code DISK-TOTAL})
 * @param diskAvailableGib free space of the store's file system in GiB
 * ({@code DISK-AVAIL})
 * @param uplinkMbps the household uplink capacity the owner declared, in Mbit/s
 * ({@code UPLINK-MBPS}, new)
 * @param servedBytesPerSecond bytes per second served to viewers over the last period
 * ({@code SERVED-BPS}, new)
 * @param networkReceivedBytes bytes received by the network interfaces since boot
 * ({@code NET-RX}, new)
 * @param networkSentBytes bytes sent by the network interfaces since boot
 * ({@code NET-TX}, new)
 * @param storeUsedBytes bytes of files the box holds for publishers ({@code STORE-USED},
 * new)
 * @param storeMaxBytes the store's quota in bytes ({@code STORE-MAX}, new)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({ "CPU-HZ", "CPU-NUM", "CPU-USR", "CPU-SYS", "CPU-NIC", "CPU-IDLE", "CPU-IO", "CPU-IRQ", "CPU-SIRQ",
		"LOADAVG-1", "LOADAVG-5", "LOADAVG-15", "MEM-TOTAL", "MEM-AVAIL", "DISK-TOTAL", "DISK-AVAIL" })
public record BoxMetrics(@JsonProperty("CPU-HZ") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuMhz,
		@JsonProperty("CPU-NUM") @JsonFormat(shape = JsonFormat.Shape.STRING) Integer cpuCount,
		@JsonProperty("CPU-USR") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuUser,
		@JsonProperty("CPU-SYS") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuSystem,
		@JsonProperty("CPU-NIC") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuNice,
		@JsonProperty("CPU-IDLE") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuIdle,
		@JsonProperty("CPU-IO") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuIoWait,
		@JsonProperty("CPU-IRQ") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuIrq,
		@JsonProperty("CPU-SIRQ") @JsonFormat(shape = JsonFormat.Shape.STRING) Double cpuSoftIrq,
		@JsonProperty("LOADAVG-1") @JsonFormat(shape = JsonFormat.Shape.STRING) Double loadAverage1,
		@JsonProperty("LOADAVG-5") @JsonFormat(shape = JsonFormat.Shape.STRING) Double loadAverage5,
		@JsonProperty("LOADAVG-15") @JsonFormat(shape = JsonFormat.Shape.STRING) Double loadAverage15,
		@JsonProperty("MEM-TOTAL") @JsonFormat(shape = JsonFormat.Shape.STRING) Long memoryTotalKib,
		@JsonProperty("MEM-AVAIL") @JsonFormat(shape = JsonFormat.Shape.STRING) Long memoryAvailableKib,
		@JsonProperty("DISK-TOTAL") @JsonFormat(shape = JsonFormat.Shape.STRING) Double diskTotalGib,
		@JsonProperty("DISK-AVAIL") @JsonFormat(shape = JsonFormat.Shape.STRING) Double diskAvailableGib,
		@JsonProperty("UPLINK-MBPS") @JsonFormat(shape = JsonFormat.Shape.STRING) Double uplinkMbps,
		@JsonProperty("SERVED-BPS") @JsonFormat(shape = JsonFormat.Shape.STRING) Long servedBytesPerSecond,
		@JsonProperty("NET-RX") @JsonFormat(shape = JsonFormat.Shape.STRING) Long networkReceivedBytes,
		@JsonProperty("NET-TX") @JsonFormat(shape = JsonFormat.Shape.STRING) Long networkSentBytes,
		@JsonProperty("STORE-USED") @JsonFormat(shape = JsonFormat.Shape.STRING) Long storeUsedBytes,
		@JsonProperty("STORE-MAX") @JsonFormat(shape = JsonFormat.Shape.STRING) Long storeMaxBytes) {

	/** Metrics of a box that reported none. */
	public static final BoxMetrics NONE = new BoxMetrics(null, null, null, null, null, null, null, null, null, null,
			null, null, null, null, null, null, null, null, null, null, null, null);

}
