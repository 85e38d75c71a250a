package dev.sluice.kafka.internal;

import dev.sluice.JobMetrics;
import dev.sluice.StreamingJob;
import dev.sluice.spi.consumer.ConsumerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running consumer job on Kafka: {@code workers} members of the group's Kafka consumer group. */
final class KafkaJob<T> implements StreamingJob {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaJob.class);
  private final KafkaConsumers owner;
  private final List<GroupWorker<T>> workers = new ArrayList<>();
  private final JobCounters counters = new JobCounters();
  private final CountDownLatch ended;
  private final java.util.concurrent.atomic.AtomicInteger alive;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile State state = State.NEW;

  KafkaJob(KafkaConsumers owner, KafkaBackend backend, ConsumerSpec<T> spec) {
    this.owner = owner;
    this.ended = new CountDownLatch(spec.workers());
    this.alive = new java.util.concurrent.atomic.AtomicInteger(spec.workers());
    for (int i = 0; i < spec.workers(); i++) {
      workers.add(new GroupWorker<>(backend, spec, counters));
    }
    state = State.RUNNING;
    int i = 0;
    for (GroupWorker<T> w : workers) {
      Runnable loop =
          () -> {
            threads.add(Thread.currentThread());
            try {
              w.run();
            } catch (Throwable e) {
              if (failure.compareAndSet(null, e)) {
                LOG.error("consumer of {} failed; the job stops", spec.stream(), e);
              }
              stop();
            } finally {
              threads.remove(Thread.currentThread());
              if (alive.decrementAndGet() == 0) {
                // the final state is set before anyone waiting on termination wakes up
                state = failure.get() == null ? State.STOPPED : State.FAILED;
                owner.ended(this);
              }
              ended.countDown();
            }
          };
      if (spec.executor() != null) {
        spec.executor().execute(loop);
      } else {
        Thread t =
            new Thread(loop, "sluice-kafka-" + spec.stream() + "-" + spec.group() + "-" + i++);
        t.setDaemon(true);
        t.start();
      }
    }
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public void stop() {
    if (state == State.RUNNING) {
      state = State.STOPPING;
    }
    for (GroupWorker<T> w : workers) {
      w.stop();
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    ended.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isRunning() {
    return ended.getCount() > 0;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public JobMetrics metrics() {
    return counters.snapshot(0);
  }

  @Override
  public void close() {
    stop();
    if (threads.contains(Thread.currentThread())) {
      return; // a handler closing its own job: the job ends after this window
    }
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
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
