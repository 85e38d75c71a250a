package dev.sluice.internal.consumer;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.Retry;
import dev.sluice.StartFrom;
import dev.sluice.WindowEmitter;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import dev.sluice.spi.StoreBackend;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/** Everything a consumer job was configured with; checked by the builder. */
public record JobConfig<T>(
    StoreBackend backend,
    GroupTables tables,
    String stream,
    Codec<T> codec,
    String group,
    StartFrom startFrom,
    WindowEmitter<T> emitter,
    int workers,
    ExecutorService executor,
    Boolean keep,
    Retry retry,
    DeadLetter deadLetter,
    Delivery delivery,
    boolean emitEmpty,
    int maxEmptyCatchUp,
    Duration lease,
    Duration groupExpiry,
    Source<? extends T> source,
    Processor<T> processor,
    Sink<Object> sink) {

  /** What a job does with a window: a handler, or a function whose results go to a sink. */
  public interface Processor<T> {
    /** Handles a window; returns its result, or null. */
    Object process(dev.sluice.Window<T> window) throws Exception;
  }
}
