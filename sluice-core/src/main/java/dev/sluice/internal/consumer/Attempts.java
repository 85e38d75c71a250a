package dev.sluice.internal.consumer;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.Record;
import dev.sluice.SluiceException;
import dev.sluice.StreamChangedException;
import dev.sluice.Window;
import dev.sluice.internal.consumer.Coordinator.Claim;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.spi.consumer.ConsumerSpec;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerTx;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Runs a claimed window to its end: the function and the sink, retries after a backoff on the
 * store's clock, then the dead-letter policy, then the commit (with a transactional sink's output
 * and the dead letters in the same transaction). The retry and dead-letter rules of
 * docs/CONSUMERS.md "Failures" live here.
 */
final class Attempts<T> {
  private static final Logger LOG = dev.sluice.internal.log.Logs.get(Attempts.class);

  private final ConsumerSpec<T> spec;
  private final Coordinator coord;
  private final ConsumerTables tables;
  private final Emitting<T> emitting;
  private final Counters counters;
  private final BooleanSupplier stopping;
  private final Consumer<Throwable> fail;
  private final boolean exactlyOnce;

  /** A worker's finished window whose commit waits for the worker's next claim. */
  static final class Deferred {
    Coordinator.Finished finished;
    int records;
  }

  Attempts(
      ConsumerSpec<T> spec,
      Coordinator coord,
      ConsumerTables tables,
      Emitting<T> emitting,
      Counters counters,
      BooleanSupplier stopping,
      Consumer<Throwable> fail) {
    this.spec = spec;
    this.coord = coord;
    this.tables = tables;
    this.emitting = emitting;
    this.counters = counters;
    this.stopping = stopping;
    this.fail = fail;
    this.exactlyOnce = spec.delivery() == Delivery.EXACTLY_ONCE;
  }

  /** Counts a deferred commit once it happened (or was found lost). */
  void settle(Deferred deferred, boolean committed) {
    Claim c = deferred.finished.claim();
    if (committed) {
      counters.finished(deferred.records, 0, false);
    } else {
      lost(c);
    }
    deferred.finished = null;
    counters.endWindow();
  }

  private Window<T> window(Claim c, List<Record<T>> recs) {
    return new DefaultWindow<>(
        coord.id(c.seq()),
        spec.stream(),
        coord.partition(),
        spec.group(),
        recs,
        c.isEmpty() ? -1 : c.first(),
        c.isEmpty() ? -1 : c.last(),
        c.start(),
        c.end(),
        c.attempt());
  }

  /**
   * Runs the window; with {@code deferred} its plain commit may wait for the worker's next claim.
   * With {@code once} a retry is not waited for here: the window is released until its backoff
   * ends.
   */
  void process(Claim c, List<Loaded<T>> loaded, boolean once, Deferred deferred) {
    String id = coord.id(c.seq());
    Map<Long, Record<byte[]>> raw = new HashMap<>();
    List<Record<T>> good = new ArrayList<>(loaded.size());
    List<Loaded<T>> undecodable = new ArrayList<>();
    for (Loaded<T> l : loaded) {
      raw.put(l.raw().offset(), l.raw());
      if (l.failure() == null) {
        good.add(l.decoded());
      } else {
        LOG.warn(
            "window {} of {}: record {} cannot be decoded ({}); dead-lettering it",
            id,
            spec.stream(),
            l.raw().offset(),
            l.failure().toString());
        undecodable.add(l);
      }
    }
    int attempts = spec.retry().attempts();
    if (c.attempt() > attempts + 2) {
      LOG.error(
          "window {} of {} was claimed {} times, its workers dying each time; dead-lettering its"
              + " records without running it again",
          id,
          spec.stream(),
          c.attempt());
      Exception e =
          new SluiceException(
              "window " + id + " abandoned after " + c.attempt() + " claims whose workers died");
      List<Entry> dlq = new ArrayList<>(loaded.size());
      for (Loaded<T> l : loaded) {
        dlq.add(deadEntry(c, l.raw(), l.failure() != null ? l.failure() : e));
      }
      if (commit(c, List.of(), dlq, true)) {
        counters.finished(0, dlq.size(), true);
      }
      return;
    }
    while (true) {
      if (c.attempt() > attempts) {
        exhausted(c, good, undecodable, raw, null);
        return;
      }
      List<Object> results = new ArrayList<>();
      try {
        List<Record<T>> arranged = emitting.arrange(good);
        run(window(c, arranged), results);
        boolean dead = !undecodable.isEmpty();
        List<Entry> dlq = deadEntries(c, undecodable);
        if (deferred != null && !dead && results.isEmpty()) {
          // The common case: commit with the next claim, in one transaction.
          deferred.finished = new Coordinator.Finished(c);
          deferred.records = arranged.size();
          counters.startWindow();
          return;
        }
        if (commit(c, results, dlq, dead)) {
          counters.finished(arranged.size(), dlq.size(), dead);
        }
        return;
      } catch (StreamChangedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn(
            "window {} of {} failed on attempt {} of {}: {}",
            id,
            spec.stream(),
            c.attempt(),
            attempts,
            e.toString(),
            e);
        counters.failedAttempt();
        if (!coord.failed(c)) {
          lost(c);
          return;
        }
        if (c.attempt() >= attempts) {
          exhausted(c, good, undecodable, raw, e);
          return;
        }
        Instant retryAt = tables.clock().instant().plus(spec.retry().delayAfter(c.attempt()));
        if (once || !waitUntil(retryAt)) {
          coord.release(c, retryAt);
          return;
        }
        c = coord.again(c);
        if (c == null) {
          counters.leaseLost();
          return;
        }
      }
    }
  }

  private void run(Window<T> w, List<Object> results) throws Exception {
    Object result = spec.function().apply(w);
    if (result == null || spec.sink() == null) {
      return;
    }
    if (exactlyOnce) {
      results.add(result);
    } else {
      synchronized (spec.sink()) {
        spec.sink().write(result);
      }
    }
  }

  private void exhausted(
      Claim c,
      List<Record<T>> good,
      List<Loaded<T>> undecodable,
      Map<Long, Record<byte[]>> raw,
      Exception last) {
    String id = coord.id(c.seq());
    DeadLetter policy = spec.deadLetter();
    if (policy == DeadLetter.STOP) {
      coord.release(c, Instant.EPOCH);
      fail.accept(
          new SluiceException(
              "window " + id + " of " + spec.stream() + " failed " + c.attempt() + " times", last));
      return;
    }
    List<Entry> dlq = new ArrayList<>(deadEntries(c, undecodable));
    List<Object> results = new ArrayList<>();
    int processed = 0;
    List<Record<T>> arranged;
    try {
      arranged = emitting.arrange(good);
    } catch (RuntimeException e) {
      arranged = good; // the emitter's arrange itself fails: dead-letter in offset order
      policy = DeadLetter.WINDOW;
      last = e;
    }
    if (policy == DeadLetter.WINDOW) {
      Exception cause = last != null ? last : new SluiceException("window " + id + " failed");
      LOG.error(
          "window {} of {} failed {} times; dead-lettering its {} records",
          id,
          spec.stream(),
          c.attempt(),
          arranged.size());
      for (Record<T> r : arranged) {
        dlq.add(deadEntry(c, raw.get(r.offset()), cause));
      }
    } else {
      LOG.warn(
          "window {} of {} failed {} times; retrying its {} records one by one",
          id,
          spec.stream(),
          c.attempt(),
          arranged.size());
      for (Record<T> r : arranged) {
        try {
          run(window(c, List.of(r)), results);
          processed++;
        } catch (Exception e) {
          LOG.error(
              "window {} of {}: record {} fails on its own; dead-lettering it",
              id,
              spec.stream(),
              r.offset(),
              e);
          dlq.add(deadEntry(c, raw.get(r.offset()), e));
        }
      }
      if (arranged.isEmpty() && dlq.isEmpty()) {
        LOG.error(
            "window {} of {} (empty) failed {} times; giving up on it",
            id,
            spec.stream(),
            c.attempt());
      }
    }
    boolean dead = !dlq.isEmpty() || processed < arranged.size() || arranged.isEmpty();
    try {
      if (commit(c, results, dlq, dead)) {
        counters.finished(processed, dlq.size(), dead);
      }
    } catch (StreamChangedException e) {
      throw e;
    } catch (RuntimeException e) {
      // Output or dead letters could not be written: leave the window for another try.
      LOG.error(
          "window {} of {}: writing its results and dead letters failed", id, spec.stream(), e);
      coord.release(c, tables.clock().instant().plus(spec.retry().delayAfter(c.attempt())));
    }
  }

  private boolean commit(Claim c, List<Object> results, List<Entry> dlq, boolean dead) {
    boolean ok =
        coord.commit(
            c,
            tx -> {
              if (exactlyOnce && !results.isEmpty()) {
                @SuppressWarnings("unchecked")
                TransactionalSink<Object> sink = (TransactionalSink<Object>) (Object) spec.sink();
                sink.write(new Transaction(tx, tables.url()), results);
              }
              if (!dlq.isEmpty()) {
                tx.append(DeadLetters.streamOf(spec.stream()), dlq);
              }
            },
            dead);
    if (!ok) {
      lost(c);
    }
    return ok;
  }

  void lost(Claim c) {
    counters.leaseLost();
    LOG.warn(
        "window {} of {}: lease lost, another worker took it over; this attempt's commit is"
            + " discarded",
        coord.id(c.seq()),
        spec.stream());
  }

  private List<Entry> deadEntries(Claim c, List<Loaded<T>> failed) {
    List<Entry> out = new ArrayList<>(failed.size());
    for (Loaded<T> l : failed) {
      out.add(deadEntry(c, l.raw(), l.failure()));
    }
    return out;
  }

  private Entry deadEntry(Claim c, Record<byte[]> raw, Throwable e) {
    return DeadLetters.entry(
        spec.group(),
        coord.id(c.seq()),
        c.first(),
        c.last(),
        c.attempt(),
        raw,
        e,
        tables.clock().instant());
  }

  /** Waits on the store's clock; returns false if the job is stopping. */
  private boolean waitUntil(Instant deadline) {
    try {
      return tables.scheduler().awaitUntil(tables.clock(), deadline, stopping);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The commit's transaction as a transactional sink sees it. */
  private record Transaction(ConsumerTx tx, String storeUrl) implements StoreTransaction {
    @Override
    public long append(String stream, List<Entry> entries) {
      return tx.append(DeadLetters.checkStreamName(stream), entries);
    }

    @Override
    public Optional<Connection> connection() {
      return tx.connection();
    }
  }
}
