package dev.sluice.spi.consumer;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.Retention;
import dev.sluice.Retry;
import dev.sluice.StartFrom;
import dev.sluice.WindowEmitter;
import dev.sluice.WindowFunction;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Sink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * A consumer job as configured with {@link dev.sluice.Streaming}, checked and complete: what a
 * {@link ConsumerRuntime} runs. Sluice's own engine runs the same description.
 *
 * @param stream the stream's name
 * @param codec decodes the stream's values
 * @param group the consumer group
 * @param startFrom where a new group starts
 * @param emitter the window rule
 * @param workers windows handled at once
 * @param executor runs the workers, or {@code null} for threads of the job's own
 * @param retention retention to set on the stream when the job starts ({@code keep(false)}), or
 *     {@code null} to leave it
 * @param retry how failing windows are retried
 * @param deadLetter what happens after the last try
 * @param delivery when windows commit relative to the sink
 * @param emitEmpty whether empty time windows are handed over
 * @param maxEmptyCatchUp how many empty time windows to emit at most after downtime
 * @param lease how long a claim holds without renewal
 * @param groupExpiry how long the group may go unread before it is removed
 * @param function turns a window into a result (a handler returns {@code null})
 * @param sink where results go, or {@code null} for a plain handler; with {@link
 *     Delivery#EXACTLY_ONCE} a {@link dev.sluice.spi.TransactionalSink} of the same store
 * @param <T> the value type
 */
public record ConsumerSpec<T>(
    String stream,
    Codec<T> codec,
    String group,
    StartFrom startFrom,
    WindowEmitter<? super T> emitter,
    int workers,
    ExecutorService executor,
    Retention retention,
    Retry retry,
    DeadLetter deadLetter,
    Delivery delivery,
    boolean emitEmpty,
    int maxEmptyCatchUp,
    Duration lease,
    Duration groupExpiry,
    WindowFunction<T, ?> function,
    Sink<Object> sink) {
  /** Checks the fields that are never null. */
  public ConsumerSpec {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(startFrom, "startFrom");
    Objects.requireNonNull(emitter, "emitter");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(deadLetter, "deadLetter");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(groupExpiry, "groupExpiry");
    Objects.requireNonNull(function, "function");
  }
}
