package dev.sluice.internal;

import dev.sluice.EventStream;
import dev.sluice.spi.Source;
import java.time.Duration;
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
  private volatile boolean closing;

  SourceAttachment(EventStream<T> stream, Source<? extends T> source) {
    this.source = source;
    this.thread = new Thread(() -> run(stream), "sluice-source-" + stream.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run(EventStream<T> stream) {
    AtomicReference<CompletableFuture<Long>> last = new AtomicReference<>();
    try {
      source.run(
          value -> {
            Throwable failed = failure.get();
            if (failed != null) {
              throw new IllegalStateException("an append of this source failed", failed);
            }
            // join the counted stage, not the append, so appended() is exact once the source ends
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
          });
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
