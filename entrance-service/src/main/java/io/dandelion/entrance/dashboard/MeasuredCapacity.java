package io.dandelion.entrance.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the entrance measured of a box itself with its dial-back probes, as opposed to
 * what the box declares in its heartbeat. Unknown figures are left out of the JSON.
 *
 * @param suspended whether the box failed enough probes in a row to be left out of SEARCH
 * @param ttfbMillis time to the first byte of the probe object from the box's data port
 * in its last successful probe, ms
 * @param throughputMbps how fast that probe object came, Mbit/s
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MeasuredCapacity(boolean suspended, Double ttfbMillis, Double throughputMbps) {

}
