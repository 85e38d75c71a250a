package dev.sluice.dataflow;

import dev.sluice.EventStream;
import dev.sluice.spi.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Output builders that capture into a persistent {@link EventStream} or into any {@link Sink}, for
 * {@link Execution#spawnCluster} and {@link Execution#clusterMain}.
 *
 * <p>The builders are thread-safe and may be shared by every worker.
 */
public final class Outputs {
  /** Captured items per {@link EventStream#appendAll} call. */
  static final int APPEND_BATCH = 500;

  private Outputs() {}

  /**
   * Appends every captured item (the epoch is dropped) to {@code stream}. Each worker buffers up to
   * {@value #APPEND_BATCH} items and appends them atomically with {@link EventStream#appendAll};
   * the rest is appended when the worker ends, also after a failure, so that what was captured
   * before a failure is kept. Items from one worker keep their order.
   */
  public static <O> OutputBuilder<O> toStream(EventStream<? super O> stream) {
    Objects.requireNonNull(stream, "stream must not be null");
    return (index, count) -> new StreamSink<>(stream);
  }

  /**
   * Writes the captured {@code (epoch, item)} pairs of every worker to one shared sink, one write
   * at a time, and closes it once, after the last worker ends. The builder serves one run.
   */
  public static <O> OutputBuilder<O> toSink(Sink<? super Epoched<O>> sink) {
    Objects.requireNonNull(sink, "sink must not be null");
    int[] open = {-1};
    return (index, count) -> {
      synchronized (open) {
        if (open[0] < 0) {
          open[0] = count;
        }
      }
      return new Sink<>() {
        @Override
        public void write(Epoched<O> value) throws Exception {
          synchronized (open) {
            sink.write(value);
          }
        }

        @Override
        public void close() throws Exception {
          synchronized (open) {
            if (--open[0] == 0) {
              sink.close();
            }
          }
        }
      };
    };
  }

  /** A worker's buffered appender to a stream. */
  private static final class StreamSink<O> implements Sink<Epoched<O>> {
    private final EventStream<? super O> stream;
    private final List<O> buffer = new ArrayList<>();

    StreamSink(EventStream<? super O> stream) {
      this.stream = stream;
    }

    @Override
    public void write(Epoched<O> value) {
      buffer.add(value.item());
      if (buffer.size() == APPEND_BATCH) {
        flush();
      }
    }

    @Override
    public void close() {
      flush();
    }

    private void flush() {
      if (!buffer.isEmpty()) {
        appendAll(stream, buffer);
        buffer.clear();
      }
    }

    @SuppressWarnings("unchecked")
    private static <S> void appendAll(EventStream<S> stream, List<?> values) {
      stream.appendAll((List<? extends S>) values);
    }
  }
}
