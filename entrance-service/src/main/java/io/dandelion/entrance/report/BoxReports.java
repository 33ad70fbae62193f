package io.dandelion.entrance.report;

import java.time.Instant;

/**
 * What this entrance holds of the REPORTs against one box.
 *
 * @param count every report accepted, however many came from one publisher
 * @param reporters the distinct publishers that reported the box within the window
 * ({@code entrance.reports.window}), the figure that lowers its score
 * @param lastReportAt when the latest report arrived; {@code null} if unknown
 * @param lastFilePath the file the latest report named
 */
public record BoxReports(long count, long reporters, Instant lastReportAt, String lastFilePath) {

}
