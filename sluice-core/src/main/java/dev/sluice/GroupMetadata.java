package dev.sluice;

import java.time.Instant;

/**
 * What the store knows about one consumer group of a stream.
 *
 * @param name the group's name
 * @param committed the first offset not yet finished: every record below it is processed or
 *     dead-lettered
 * @param cursor the first offset not yet in a claimed window
 * @param lag records from the committed offset to the end of the stream
 * @param lastRead when a consumer of the group last claimed or committed a window, or {@code null}
 * @param windowsDone windows committed
 * @param windowsFailed failed attempts
 * @param windowsDeadLettered windows finished with dead-lettered records
 * @param recordsLostToRetention records deleted by retention before the group read them
 * @param inFlight windows claimed and not yet finished
 */
public record GroupMetadata(
    String name,
    long committed,
    long cursor,
    long lag,
    Instant lastRead,
    long windowsDone,
    long windowsFailed,
    long windowsDeadLettered,
    long recordsLostToRetention,
    int inFlight) {}
