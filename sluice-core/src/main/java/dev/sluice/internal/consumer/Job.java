package dev.sluice.internal.consumer;

import dev.sluice.EventStream;
import dev.sluice.JobMetrics;
import dev.sluice.StreamChangedException;
import dev.sluice.StreamingJob;
import dev.sluice.internal.consumer.Coordinator.Claim;
import dev.sluice.spi.consumer.ConsumerSpec;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.Wakeups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * A running consumer of the shared engine: its lifecycle (workers, the keeper that renews their
 * leases, stop, wait, state). Each worker claims a window ({@link Coordinator}) and hands it to
 * {@link Attempts}, which runs it to its end. Built by {@code DefaultStreaming}.
 */
public final class Job<T> implements StreamingJob {
  private static final Logger LOG = dev.sluice.internal.log.Logs.get(Job.class);

  private final JobConfig<T> cfg;
  private final ConsumerSpec<T> spec;
  private final ConsumerTables tables;
  private final Coordinator coord;
  private final PeekBuffer<T> buffer;
  private final Emitting<T> emitting;
  private final Attempts<T> attempts;
  private final Counters counters = new Counters();
  private final ReentrantLock claimLock = new ReentrantLock();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished;
  private final AtomicInteger running;
  private final AtomicLong claims = new AtomicLong();
  private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
  private volatile boolean started;
  private volatile boolean stopping;
  private Thread keeper;
  private EventStream.Attachment attachment;

  public Job(JobConfig<T> cfg) {
    this.cfg = cfg;
    this.spec = cfg.spec();
    this.tables = cfg.engine().tables();
    this.coord =
        new Coordinator(
            cfg.engine(),
            spec.stream(),
            0,
            spec.group(),
            UUID.randomUUID().toString(),
            spec.lease(),
            spec.emitEmpty());
    this.buffer = new PeekBuffer<>(cfg.backend(), spec.stream(), 0, spec.codec());
    this.emitting =
        new Emitting<>(spec.emitter(), buffer, spec.emitEmpty(), spec.maxEmptyCatchUp());
    this.attempts =
        new Attempts<>(spec, coord, tables, emitting, counters, () -> stopping, this::fail);
    this.finished = new CountDownLatch(spec.workers());
    this.running = new AtomicInteger(spec.workers());
  }

  /** Registers the group (and sets the retention the job asks for). */
  public void prepare() {
    if (spec.retention() != null) {
      cfg.backend().retention(spec.stream(), spec.retention());
    }
    coord.register(spec.startFrom(), spec.groupExpiry());
  }

  /** Starts the workers and the keeper; {@code streamForSource} receives the job's source. */
  public void start(EventStream<T> streamForSource) {
    started = true;
    if (cfg.source() != null) {
      attachment = streamForSource.attach(cfg.source());
    }
    keeper = new Thread(this::keep, "sluice-keeper-" + spec.stream() + "-" + spec.group());
    keeper.setDaemon(true);
    keeper.start();
    for (int i = 0; i < spec.workers(); i++) {
      int worker = i;
      Runnable loop = () -> workerLoop(worker);
      if (spec.executor() != null) {
        spec.executor().execute(loop);
      } else {
        Thread t = new Thread(loop, "sluice-" + spec.stream() + "-" + spec.group() + "-w" + i);
        t.setDaemon(false);
        t.start();
      }
    }
  }

  /** Handles one ready window on this thread; returns whether there was one. */
  public boolean once() {
    try {
      return step(0, true, null, null);
    } finally {
      coord.releaseAll();
    }
  }

  private void workerLoop(int worker) {
    Attempts.Deferred deferred = new Attempts.Deferred();
    workerThreads.add(Thread.currentThread());
    Wakeups wakeups = tables.wakeups();
    Recheck recheck = new Recheck();
    try {
      while (!stopping) {
        long seen = wakeups.version();
        boolean did;
        recheck.reset();
        try {
          did = step(worker, false, deferred, recheck);
        } catch (RuntimeException e) {
          fail(e);
          break;
        }
        if (!did && !stopping) {
          // Waits for a commit (ours or, through the backend's watcher, another process's) or for
          // the next time-bound event; with neither in sight, with no time limit: no polling.
          Optional<Duration> wait = recheck.wait(tables.scheduler(), tables.clock());
          if (wait.isPresent()) {
            wakeups.await(seen, wait.get());
          } else {
            wakeups.await(seen);
          }
        }
      }
    } catch (InterruptedException e) {
      stop();
    } catch (Throwable e) {
      fail(e);
    } finally {
      if (deferred.finished != null) {
        try {
          attempts.settle(deferred, coord.commit(deferred.finished.claim(), null, false));
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

  private boolean step(int worker, boolean once, Attempts.Deferred deferred, Recheck recheck) {
    Claim c;
    List<Loaded<T>> loaded;
    claimLock.lock();
    try {
      Coordinator.Finished done = deferred == null ? null : deferred.finished;
      try {
        c =
            coord.claim(
                coord.owner(worker),
                snap -> emitting.decide(snap, tables.clock().instant(), recheck),
                done,
                recheck);
      } finally {
        if (done != null && done.done()) {
          attempts.settle(deferred, done.committed());
        }
      }
      if (c == null) {
        return false;
      }
      claims.incrementAndGet();
      loaded = buffer.range(c.first(), c.last());
    } finally {
      claimLock.unlock();
    }
    counters.startWindow();
    try {
      attempts.process(c, loaded, once, deferred);
    } finally {
      counters.endWindow();
    }
    return true;
  }

  /** Records the first failure, logs it and stops the job. */
  void fail(Throwable e) {
    if (failure.compareAndSet(null, e)) {
      if (e instanceof StreamChangedException) {
        LOG.error(
            "consumer of {} (group {}) stops: {}", spec.stream(), spec.group(), e.getMessage());
      } else {
        LOG.error("consumer of {} (group {}) stops on a failure", spec.stream(), spec.group(), e);
      }
    }
    stop();
  }

  private void finish() {
    try {
      int released = coord.releaseAll();
      if (released > 0) {
        LOG.info(
            "consumer of {} (group {}) released {} windows", spec.stream(), spec.group(), released);
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

  /**
   * Renews this job's leases in real time, every third of the lease (at most every 10 s): a lease
   * is the backstop for a process that hangs, so it is renewed by the process's own time. An idle
   * job holds no claims, so it writes only to keep its group from expiring (every eighth of the
   * expiry): each write wakes every waiting consumer of the store, in every process.
   */
  private void keep() {
    long period = Math.max(10, Math.min(spec.lease().toMillis() / 3, 10_000));
    Duration refresh = spec.groupExpiry().dividedBy(8);
    long claimsSeen = -1;
    Instant lastBeat = tables.clock().instant();
    try {
      while (!stopping) {
        TimeUnit.MILLISECONDS.sleep(period);
        long claimed = claims.get();
        Instant now = tables.clock().instant();
        if (claimed == claimsSeen
            && counters.inFlight() == 0
            && Duration.between(lastBeat, now).compareTo(refresh) < 0) {
          continue; // idle: no claim to renew, and the group was marked read recently
        }
        claimsSeen = claimed;
        lastBeat = now;
        try {
          coord.heartbeat();
        } catch (StreamChangedException e) {
          fail(e);
        } catch (RuntimeException e) {
          if (!stopping) {
            LOG.warn("renewing the leases of {} (group {}) failed", spec.stream(), spec.group(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  // ---- StreamingJob

  @Override
  public State state() {
    if (!started) {
      return State.NEW;
    }
    if (finished.getCount() > 0) {
      return stopping ? State.STOPPING : State.RUNNING;
    }
    return failure.get() == null ? State.STOPPED : State.FAILED;
  }

  @Override
  public void stop() {
    stopping = true;
    tables.wakeups().bump();
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    checkNotOwnWorker();
    finished.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    checkNotOwnWorker();
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void checkNotOwnWorker() {
    if (workerThreads.contains(Thread.currentThread())) {
      throw new IllegalStateException("a handler cannot wait for its own job to end; call stop()");
    }
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
    return counters.snapshot();
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
        + spec.stream()
        + ", group "
        + spec.group()
        + ", "
        + spec.workers()
        + " workers, "
        + state()
        + "]";
  }
}
