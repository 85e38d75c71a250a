package dev.sluice.internal.consumer;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.EmitterContext;
import dev.sluice.EventStream;
import dev.sluice.JobMetrics;
import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.SluiceException;
import dev.sluice.StreamChangedException;
import dev.sluice.StreamingJob;
import dev.sluice.Window;
import dev.sluice.WindowBounds;
import dev.sluice.internal.Names;
import dev.sluice.internal.consumer.Coordinator.Claim;
import dev.sluice.internal.consumer.Coordinator.Snapshot;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.testkit.ManualClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running consumer: workers that claim windows, handle them, retry, dead-letter and commit; a
 * keeper that renews their leases. Built by {@link DefaultStreaming}.
 */
public final class Job<T> implements StreamingJob {
  private static final Logger LOG = LoggerFactory.getLogger(Job.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MANUAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final JobConfig<T> cfg;
  private final Coordinator coord;
  private final PeekBuffer<T> buffer;
  private final ReentrantLock claimLock = new ReentrantLock();
  private final boolean manualClock;
  private final boolean exactlyOnce;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished;
  private final AtomicInteger running;
  private volatile boolean stopping;
  private final LongAdder windowsDone = new LongAdder();
  private final LongAdder windowsFailed = new LongAdder();
  private final LongAdder windowsDead = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder recordsDead = new LongAdder();
  private final LongAdder leasesLost = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private Thread keeper;
  private EventStream.Attachment attachment;

  public Job(JobConfig<T> cfg) {
    this.cfg = cfg;
    this.coord =
        new Coordinator(
            cfg.tables(), cfg.stream(), cfg.group(), UUID.randomUUID().toString(), cfg.lease());
    coord.emitEmpty(cfg.emitEmpty());
    this.buffer = new PeekBuffer<>(cfg.backend(), cfg.stream(), cfg.codec());
    this.manualClock = cfg.tables().clock() instanceof ManualClock;
    this.exactlyOnce = cfg.delivery() == Delivery.EXACTLY_ONCE;
    this.finished = new CountDownLatch(cfg.workers());
    this.running = new AtomicInteger(cfg.workers());
  }

  /** Registers the group (and sets retention for {@code keep(false)}). */
  public void prepare() {
    if (Boolean.FALSE.equals(cfg.keep())) {
      cfg.backend().retention(cfg.stream(), Retention.untilConsumed());
    }
    coord.register(cfg.startFrom(), cfg.groupExpiry());
  }

  /** Starts the workers and the keeper. */
  public void start(EventStream<T> streamForSource) {
    if (cfg.source() != null) {
      attachment = streamForSource.attach(cfg.source());
    }
    keeper = new Thread(this::keep, "sluice-keeper-" + cfg.stream() + "-" + cfg.group());
    keeper.setDaemon(true);
    keeper.start();
    for (int i = 0; i < cfg.workers(); i++) {
      int worker = i;
      Runnable loop = () -> workerLoop(worker);
      if (cfg.executor() != null) {
        cfg.executor().execute(loop);
      } else {
        Thread t = new Thread(loop, "sluice-" + cfg.stream() + "-" + cfg.group() + "-w" + i);
        t.setDaemon(false);
        t.start();
      }
    }
  }

  /** Handles one ready window on this thread; returns whether there was one. */
  public boolean once() {
    try {
      return step(0, true, null);
    } finally {
      coord.releaseAll();
    }
  }

  /** A worker's finished window whose commit waits for the worker's next claim. */
  private static final class Deferred {
    Coordinator.Finished finished;
    int records;
  }

  private final java.util.Set<Thread> workerThreads =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private void workerLoop(int worker) {
    Deferred deferred = new Deferred();
    workerThreads.add(Thread.currentThread());
    try {
      while (!stopping) {
        long seen = cfg.tables().signals().version();
        boolean did;
        try {
          did = step(worker, false, deferred);
        } catch (RuntimeException e) {
          fail(e);
          break;
        }
        if (!did && !stopping) {
          cfg.tables().signals().await(seen, manualClock ? MANUAL_WAIT_NANOS : IDLE_WAIT_NANOS);
        }
      }
    } catch (InterruptedException e) {
      stop();
    } catch (Throwable e) {
      fail(e);
    } finally {
      if (deferred.finished != null) {
        try {
          settle(deferred, coord.commit(deferred.finished.claim(), null, false));
        } catch (RuntimeException e) {
          LOG.warn("committing the last window of a stopping worker failed; it will run again", e);
        }
      }
      workerThreads.remove(Thread.currentThread());
      if (running.decrementAndGet() == 0) {
        finish();
      }
      finished.countDown();
    }
  }

  private void fail(Throwable e) {
    if (failure.compareAndSet(null, e)) {
      if (e instanceof StreamChangedException) {
        LOG.error("consumer of {} (group {}) stops: {}", cfg.stream(), cfg.group(), e.getMessage());
      } else {
        LOG.error("consumer of {} (group {}) stops on a failure", cfg.stream(), cfg.group(), e);
      }
    }
    stop();
  }

  private void finish() {
    try {
      int released = coord.releaseAll();
      if (released > 0) {
        LOG.info(
            "consumer of {} (group {}) released {} windows", cfg.stream(), cfg.group(), released);
      }
    } catch (RuntimeException e) {
      LOG.debug("releasing claims at stop: {}", e.toString());
    }
    if (keeper != null) {
      keeper.interrupt();
    }
    if (attachment != null) {
      attachment.close();
    }
  }

  private void keep() {
    long period = Math.max(10, Math.min(cfg.lease().toMillis() / 3, 10_000));
    try {
      while (!stopping) {
        Thread.sleep(period);
        try {
          coord.heartbeat();
        } catch (StreamChangedException e) {
          fail(e);
        } catch (RuntimeException e) {
          if (!stopping) {
            LOG.warn("renewing the leases of {} (group {}) failed", cfg.stream(), cfg.group(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  // ---- one window

  private boolean step(int worker, boolean once, Deferred deferred) {
    Claim c;
    List<Loaded<T>> loaded;
    claimLock.lock();
    try {
      Coordinator.Finished finished = deferred == null ? null : deferred.finished;
      try {
        c = coord.claim(coord.owner(worker), this::decide, finished);
      } finally {
        if (finished != null && finished.done()) {
          settle(deferred, finished.committed());
        }
      }
      if (c == null) {
        return false;
      }
      loaded = buffer.range(c.first(), c.last());
    } finally {
      claimLock.unlock();
    }
    inFlight.incrementAndGet();
    try {
      process(c, loaded, once, deferred);
    } finally {
      inFlight.decrementAndGet();
    }
    return true;
  }

  /** Counts a deferred commit once it happened (or was found lost). */
  private void settle(Deferred deferred, boolean committed) {
    Claim c = deferred.finished.claim();
    if (committed) {
      count(deferred.records, 0, false);
    } else {
      lost(c);
    }
    deferred.finished = null;
    inFlight.decrementAndGet();
  }

  @SuppressWarnings("unchecked")
  private Optional<WindowBounds> decide(Snapshot snap) {
    long cursor = Math.max(snap.group().cursor, snap.stream().firstOffset());
    long next = snap.stream().nextOffset();
    Instant now = cfg.tables().clock().instant();
    EmitterContext<T> ctx =
        new EmitterContext<>() {
          @Override
          public long cursor() {
            return cursor;
          }

          @Override
          public long available() {
            return Math.max(0, next - cursor);
          }

          @Override
          public List<Record<T>> peek(int max) {
            if (max < 1) {
              throw new IllegalArgumentException("peek max must be at least 1: " + max);
            }
            return buffer.peek(cursor, next, max);
          }

          @Override
          public Instant now() {
            return now;
          }

          @Override
          public Optional<WindowBounds> last() {
            return Optional.ofNullable(snap.group().last);
          }

          @Override
          public boolean emitEmpty() {
            return cfg.emitEmpty();
          }

          @Override
          public int maxEmptyCatchUp() {
            return cfg.maxEmptyCatchUp();
          }
        };
    if (cursor != snap.group().cursor) {
      return Optional.empty(); // retention moved past the cursor; maintenance fixes the group
    }
    return cfg.emitter().next(ctx);
  }

  private Window<T> window(Claim c, List<Record<T>> recs) {
    return new DefaultWindow<>(
        coord.id(c.seq()),
        cfg.stream(),
        cfg.group(),
        recs,
        c.isEmpty() ? -1 : c.first(),
        c.isEmpty() ? -1 : c.last(),
        Instant.ofEpochMilli(c.start()),
        Instant.ofEpochMilli(c.end()),
        c.attempt());
  }

  private void process(Claim c, List<Loaded<T>> loaded, boolean once, Deferred deferred) {
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
            cfg.stream(),
            l.raw().offset(),
            l.failure().toString());
        undecodable.add(l);
      }
    }
    int attempts = cfg.retry().attempts();
    if (c.attempt() > attempts + 2) {
      LOG.error(
          "window {} of {} was claimed {} times, its workers dying each time; dead-lettering its"
              + " records without running it again",
          id,
          cfg.stream(),
          c.attempt());
      Exception e =
          new SluiceException(
              "window " + id + " abandoned after " + c.attempt() + " claims whose workers died");
      finishDead(c, deadEntries(c, loaded, e));
      return;
    }
    while (true) {
      if (c.attempt() > attempts) {
        exhausted(c, good, undecodable, raw, null);
        return;
      }
      List<Object> results = new ArrayList<>();
      List<Record<T>> arranged;
      try {
        arranged = arrange(good);
        run(window(c, arranged), results);
        boolean dead = !undecodable.isEmpty();
        List<Entry> dlq = deadEntries(c, undecodable);
        if (deferred != null && !dead && results.isEmpty()) {
          // The common case: commit with the next claim, in one transaction.
          deferred.finished = new Coordinator.Finished(c);
          deferred.records = arranged.size();
          inFlight.incrementAndGet();
          return;
        }
        if (commit(c, results, dlq, dead)) {
          count(arranged.size(), dlq.size(), dead);
        }
        return;
      } catch (StreamChangedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn(
            "window {} of {} failed on attempt {} of {}: {}",
            id,
            cfg.stream(),
            c.attempt(),
            attempts,
            e.toString(),
            e);
        windowsFailed.increment();
        if (!coord.failed(c)) {
          lost(c);
          return;
        }
        if (c.attempt() >= attempts) {
          exhausted(c, good, undecodable, raw, e);
          return;
        }
        long retryAt =
            cfg.tables().clock().millis() + cfg.retry().delayAfter(c.attempt()).toMillis();
        if (once || !sleepUntil(retryAt)) {
          coord.release(c, retryAt);
          return;
        }
        c = coord.again(c);
        if (c == null) {
          leasesLost.increment();
          return;
        }
      }
    }
  }

  private List<Record<T>> arrange(List<Record<T>> good) {
    List<Record<T>> arranged = cfg.emitter().arrange(new ArrayList<>(good));
    return arranged == null ? List.of() : arranged;
  }

  private void run(Window<T> w, List<Object> results) throws Exception {
    Object result = cfg.processor().process(w);
    if (result == null || cfg.sink() == null) {
      return;
    }
    if (exactlyOnce) {
      results.add(result);
    } else {
      synchronized (cfg.sink()) {
        cfg.sink().write(result);
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
    DeadLetter policy = cfg.deadLetter();
    if (policy == DeadLetter.STOP) {
      coord.release(c, 0);
      fail(
          new SluiceException(
              "window " + id + " of " + cfg.stream() + " failed " + c.attempt() + " times", last));
      return;
    }
    List<Entry> dlq = new ArrayList<>(deadEntries(c, undecodable));
    List<Object> results = new ArrayList<>();
    int processed = 0;
    List<Record<T>> arranged;
    try {
      arranged = arrange(good);
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
          cfg.stream(),
          c.attempt(),
          arranged.size());
      for (Record<T> r : arranged) {
        dlq.add(deadEntry(c, raw.get(r.offset()), cause));
      }
    } else {
      LOG.warn(
          "window {} of {} failed {} times; retrying its {} records one by one",
          id,
          cfg.stream(),
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
              cfg.stream(),
              r.offset(),
              e);
          dlq.add(deadEntry(c, raw.get(r.offset()), e));
        }
      }
      if (arranged.isEmpty() && dlq.isEmpty()) {
        LOG.error(
            "window {} of {} (empty) failed {} times; giving up on it",
            id,
            cfg.stream(),
            c.attempt());
      }
    }
    boolean dead = !dlq.isEmpty() || processed < arranged.size() || arranged.isEmpty();
    try {
      if (commit(c, results, dlq, dead)) {
        count(processed, dlq.size(), dead);
      }
    } catch (StreamChangedException e) {
      throw e;
    } catch (Exception e) {
      // Output or dead letters could not be written: leave the window for another try.
      LOG.error(
          "window {} of {}: writing its results and dead letters failed", id, cfg.stream(), e);
      coord.release(
          c, cfg.tables().clock().millis() + cfg.retry().delayAfter(c.attempt()).toMillis());
    }
  }

  private void finishDead(Claim c, List<Entry> dlq) {
    if (commit(c, List.of(), dlq, true)) {
      count(0, dlq.size(), true);
    }
  }

  private void count(int processed, int dead, boolean deadWindow) {
    records.add(processed);
    recordsDead.add(dead);
    if (deadWindow) {
      windowsDead.increment();
    } else {
      windowsDone.increment();
    }
  }

  private boolean commit(Claim c, List<Object> results, List<Entry> dlq, boolean dead) {
    boolean ok =
        coord.commit(
            c,
            tx -> {
              if (exactlyOnce && !results.isEmpty()) {
                @SuppressWarnings("unchecked")
                TransactionalSink<Object> sink = (TransactionalSink<Object>) (Object) cfg.sink();
                sink.write(new Transaction(tx, cfg.tables().url()), results);
              }
              if (!dlq.isEmpty()) {
                tx.append(DeadLetters.streamOf(cfg.stream()), dlq);
              }
            },
            dead);
    if (!ok) {
      lost(c);
    }
    return ok;
  }

  private void lost(Claim c) {
    leasesLost.increment();
    LOG.warn(
        "window {} of {}: lease lost, another worker took it over; this attempt's commit is"
            + " discarded",
        coord.id(c.seq()),
        cfg.stream());
  }

  private List<Entry> deadEntries(Claim c, List<Loaded<T>> failed) {
    List<Entry> out = new ArrayList<>(failed.size());
    for (Loaded<T> l : failed) {
      out.add(deadEntry(c, l.raw(), l.failure()));
    }
    return out;
  }

  private List<Entry> deadEntries(Claim c, List<Loaded<T>> all, Exception e) {
    List<Entry> out = new ArrayList<>(all.size());
    for (Loaded<T> l : all) {
      out.add(deadEntry(c, l.raw(), l.failure() != null ? l.failure() : e));
    }
    return out;
  }

  private Entry deadEntry(Claim c, Record<byte[]> raw, Throwable e) {
    return DeadLetters.entry(
        cfg.group(),
        coord.id(c.seq()),
        c.first(),
        c.last(),
        c.attempt(),
        raw,
        e,
        cfg.tables().clock().instant());
  }

  /** Waits on the store clock; returns false if the job is stopping. */
  private boolean sleepUntil(long deadline) {
    try {
      while (!stopping) {
        long left = deadline - cfg.tables().clock().millis();
        if (left <= 0) {
          return true;
        }
        Thread.sleep(manualClock ? 2 : Math.min(left, 50));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** The commit's transaction as a transactional sink sees it. */
  private record Transaction(GroupTx tx, String storeUrl) implements StoreTransaction {
    @Override
    public long append(String stream, List<Entry> entries) {
      Names.checkInternalStream(stream);
      return tx.append(stream, entries);
    }

    @Override
    public Optional<Connection> connection() {
      return tx.connection();
    }
  }

  // ---- StreamingJob

  @Override
  public void stop() {
    stopping = true;
    cfg.tables().signals().bump();
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    if (workerThreads.contains(Thread.currentThread())) {
      throw new IllegalStateException("a handler cannot wait for its own job to end; call stop()");
    }
    finished.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public State state() {
    if (finished.getCount() > 0) {
      return stopping ? State.STOPPING : State.RUNNING;
    }
    return failure.get() == null ? State.STOPPED : State.FAILED;
  }

  @Override
  public boolean isRunning() {
    return finished.getCount() > 0;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public JobMetrics metrics() {
    return new JobMetrics(
        windowsDone.sum(),
        windowsFailed.sum(),
        windowsDead.sum(),
        records.sum(),
        recordsDead.sum(),
        leasesLost.sum(),
        inFlight.get());
  }

  @Override
  public void close() {
    stop();
    if (workerThreads.contains(Thread.currentThread())) {
      return; // called from a handler: waiting for itself would never end
    }
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "StreamingJob["
        + cfg.stream()
        + ", group "
        + cfg.group()
        + ", "
        + cfg.workers()
        + " workers"
        + (isRunning() ? "" : ", stopped")
        + "]";
  }
}
