package dev.sluice.server.internal;

import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A consumer, job or source declared for an app, started when the app starts.
 *
 * @param name the name it is shown under
 * @param kind {@code consumer}, {@code job} or {@code source}
 * @param job starts a job, given the store and the recorder that wraps handlers; null for sources
 * @param source attaches a source, given the store; null for jobs
 */
public record Declaration(
    String name,
    String kind,
    BiFunction<Store, WindowLog, StreamingJob> job,
    Function<Store, EventStream.Attachment> source) {}
