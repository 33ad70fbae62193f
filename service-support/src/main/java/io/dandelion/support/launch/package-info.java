/**
 * What {@code ./dandelion} asks of Java rather than of bash: free ports, the Redis it
 * uses, the demo clip replayed as a live stream. Plain JDK code, run from the
 * service-support jar with {@code java -cp}, so that the launcher's shell part only
 * builds, starts, waits, reports and stops.
 */
package io.dandelion.support.launch;
