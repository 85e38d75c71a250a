package dev.sluice.internal;

import dev.sluice.EventStream;
import dev.sluice.spi.Source;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a source on a thread of its own and appends what it emits. Appends are asynchronous (the
 * store's bound on pending appends holds the source back); the source ends only after every append
 * it made is durable or failed.
 */
final class SourceAttachment<T> implements EventStream.Attachment {
  private static final Logger LOG = LoggerFactory.getLogger(SourceAttachment.class);
  private final Source<? extends T> source;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong appended = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong deadLettered = new AtomicLong();
  private final EventStream<Map<String, Object>> dlq;
  private volatile boolean closing;

  SourceAttachment(
      EventStream<T> stream, Source<? extends T> source, EventStream<Map<String, Object>> dlq) {
    this.source = source;
    this.dlq = dlq;
    this.thread = new Thread(() -> run(stream), "sluice-source-" + stream.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run(EventStream<T> stream) {
    AtomicReference<CompletableFuture<Long>> last = new AtomicReference<>();
    try {
      source.run(new AppendingEmitter(stream, last));
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable e) {
      if (!closing || !(e.getCause() instanceof InterruptedException)) {
        failure.compareAndSet(null, e);
      }
    } finally {
      CompletableFuture<Long> f = last.get();
      if (f != null) {
        try {
          f.join(); // appends of one stream commit in order: the last one is the last to finish
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }
      Throwable failed = failure.get();
      if (failed != null) {
        LOG.error("source {} feeding {} failed", source, stream.name(), failed);
      }
      done.countDown();
    }
  }

  /** Appends what the source emits; dead letters go to the stream's {@code .dlq}. */
  private final class AppendingEmitter implements Source.Emitter<T> {
    private final EventStream<T> stream;
    private final AtomicReference<CompletableFuture<Long>> last;

    AppendingEmitter(EventStream<T> stream, AtomicReference<CompletableFuture<Long>> last) {
      this.stream = stream;
      this.last = last;
    }

    @Override
    public void emit(T value) {
      emitAsync(value);
    }

    @Override
    public CompletableFuture<Long> emitAsync(T value) {
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException("an append of this source failed", failed);
      }
      // return the counted stage, not the append, so appended() is exact once the source ends
      CompletableFuture<Long> f =
          stream
              .appendAsync(value)
              .whenComplete(
                  (o, e) -> {
                    if (e != null) {
                      failure.compareAndSet(null, e);
                    } else {
                      appended.incrementAndGet();
                    }
                  });
      last.set(f);
      return f;
    }

    @Override
    public void deadLetter(Map<String, Object> position, byte[] payload, Throwable error) {
      dlq.append(SourceDeadLetters.letter(stream.name(), source, position, payload, error));
      deadLettered.incrementAndGet();
      LOG.warn(
          "source {} feeding {}: a message at {} went to the dead-letter stream: {}",
          source,
          stream.name(),
          position,
          error.toString());
    }
  }

  @Override
  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  @Override
  public long appended() {
    return appended.get();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public void close() {
    closing = true;
    try {
      source.close();
    } catch (Exception e) {
      LOG.warn("closing source {}", source, e);
    }
    thread.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
