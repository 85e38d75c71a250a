package dev.sluice;

/**
 * What a running {@link StreamingJob} has done since it started.
 *
 * @param windowsDone windows committed
 * @param windowsFailed failed attempts (each retry counts)
 * @param windowsDeadLettered windows finished with at least one record dead-lettered
 * @param recordsProcessed records handed to the handler in committed windows
 * @param recordsDeadLettered records sent to the dead-letter stream
 * @param leasesLost commits refused because another worker had taken the window over
 * @param inFlight windows claimed and not yet finished
 */
public record JobMetrics(
    long windowsDone,
    long windowsFailed,
    long windowsDeadLettered,
    long recordsProcessed,
    long recordsDeadLettered,
    long leasesLost,
    int inFlight) {}
