package dev.sluice.internal;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.Retention;
import dev.sluice.Retry;
import dev.sluice.SluiceException;
import dev.sluice.StartFrom;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.UnsupportedCapabilityException;
import dev.sluice.WindowEmitter;
import dev.sluice.WindowFunction;
import dev.sluice.WindowHandler;
import dev.sluice.Windows;
import dev.sluice.internal.base.Names;
import dev.sluice.internal.consumer.ConsumerEngine;
import dev.sluice.internal.consumer.Job;
import dev.sluice.internal.consumer.JobConfig;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.spi.consumer.ConsumerRuntime;
import dev.sluice.spi.consumer.ConsumerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * The {@link Streaming} builder: collects and checks a consumer's configuration, then runs it on
 * the shared engine (a backend with consumer tables) or on the backend's own consumer runtime.
 */
final class DefaultStreaming<T> implements Streaming<T> {
  private final StoreHandle store;
  private final DefaultEventStream<T> stream;
  private final ConsumerEngine engine;
  private final ConsumerRuntime runtime;
  private String group = "default";
  private StartFrom startFrom = StartFrom.EARLIEST;
  private WindowEmitter<? super T> emitter = Windows.count(1);
  private int workers = 1;
  private ExecutorService executor;
  private Boolean keep;
  private Retry retry = Retry.defaults();
  private DeadLetter deadLetter = DeadLetter.RECORD;
  private Delivery delivery = Delivery.AT_LEAST_ONCE;
  private boolean emitEmpty;
  private int maxEmptyCatchUp = 1;
  private Duration lease = Duration.ofSeconds(30);
  private Duration groupExpiry = Duration.ofDays(7);
  private Source<? extends T> source;

  DefaultStreaming(StoreHandle store, DefaultEventStream<T> stream) {
    this.store = store;
    this.stream = stream;
    StoreBackend backend = store.backend();
    if (backend.capabilities().contains(Capability.CONSUMER_ENGINE)) {
      this.engine = store.shared().engine();
      this.runtime = null;
    } else if (backend.capabilities().contains(Capability.CONSUMER_RUNTIME)) {
      this.engine = null;
      this.runtime = backend.consumerRuntime().orElseThrow();
    } else {
      throw new UnsupportedCapabilityException(
          store.url(), "consumers (Streaming)", Capability.CONSUMER_ENGINE);
    }
  }

  @Override
  public Streaming<T> group(String name) {
    this.group = Names.checkGroup(name);
    return this;
  }

  @Override
  public Streaming<T> startFrom(StartFrom start) {
    this.startFrom = Objects.requireNonNull(start, "start");
    return this;
  }

  @Override
  public Streaming<T> startFrom(long offset) {
    return startFrom(StartFrom.offset(offset));
  }

  @Override
  public Streaming<T> startFrom(Instant time) {
    return startFrom(StartFrom.time(time));
  }

  @Override
  public Streaming<T> size(int n) {
    return window(Windows.count(n));
  }

  @Override
  public Streaming<T> every(Duration interval) {
    return window(Windows.relaxed(interval));
  }

  @Override
  public Streaming<T> window(WindowEmitter<? super T> emitter) {
    this.emitter = Objects.requireNonNull(emitter, "emitter");
    return this;
  }

  @Override
  public Streaming<T> workers(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + n);
    }
    this.workers = n;
    return this;
  }

  @Override
  public Streaming<T> executor(ExecutorService executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  @Override
  public Streaming<T> keep(boolean keep) {
    this.keep = keep;
    return this;
  }

  @Override
  public Streaming<T> retry(Retry retry) {
    this.retry = Objects.requireNonNull(retry, "retry");
    return this;
  }

  @Override
  public Streaming<T> deadLetter(DeadLetter policy) {
    this.deadLetter = Objects.requireNonNull(policy, "policy");
    return this;
  }

  @Override
  public Streaming<T> delivery(Delivery delivery) {
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    return this;
  }

  @Override
  public Streaming<T> emitEmpty(boolean emitEmpty) {
    this.emitEmpty = emitEmpty;
    return this;
  }

  @Override
  public Streaming<T> maxEmptyCatchUp(int windows) {
    if (windows < 1) {
      throw new IllegalArgumentException("maxEmptyCatchUp must be at least 1: " + windows);
    }
    this.maxEmptyCatchUp = windows;
    return this;
  }

  @Override
  public Streaming<T> lease(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.toMillis() < 30) {
      throw new IllegalArgumentException("lease must be at least 30 ms: " + lease);
    }
    this.lease = lease;
    return this;
  }

  @Override
  public Streaming<T> groupExpiry(Duration expiry) {
    Objects.requireNonNull(expiry, "expiry");
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("groupExpiry must be positive: " + expiry);
    }
    this.groupExpiry = expiry;
    return this;
  }

  @Override
  public Streaming<T> source(Source<? extends T> source) {
    this.source = Objects.requireNonNull(source, "source");
    return this;
  }

  @SuppressWarnings("unchecked") // safe: a window is read-only, see handlerOf
  private ConsumerSpec<T> spec(WindowFunction<? super T, ?> fn, Sink<Object> sink) {
    WindowFunction<T, ?> function = (WindowFunction<T, ?>) fn;
    if (delivery == Delivery.EXACTLY_ONCE) {
      checkTransactional(sink);
    }
    return new ConsumerSpec<>(
        stream.name(),
        stream.codec(),
        group,
        startFrom,
        emitter,
        workers,
        executor,
        keep == null ? null : keep ? Retention.forever() : Retention.untilConsumed(),
        retry,
        deadLetter,
        delivery,
        emitEmpty,
        maxEmptyCatchUp,
        lease,
        groupExpiry,
        function,
        sink);
  }

  private void checkTransactional(Sink<?> sink) {
    if (sink == null) {
      throw new IllegalArgumentException(
          "delivery(EXACTLY_ONCE) needs process(..).sink(..) with a TransactionalSink of store "
              + store.url()
              + ", such as Sinks.stream(..) or Sinks.table(..); a plain handler has no output to"
              + " commit with the window");
    }
    if (!(sink instanceof TransactionalSink<?> ts)) {
      throw new IllegalArgumentException(
          "delivery(EXACTLY_ONCE) needs a TransactionalSink of store "
              + store.url()
              + " (Sinks.stream or Sinks.table); "
              + sink.getClass().getName()
              + " is not one. Use AT_LEAST_ONCE with it.");
    }
    if (!ts.storeUrl().equals(store.url())) {
      throw new IllegalArgumentException(
          "delivery(EXACTLY_ONCE) needs a sink into the consumer's own store "
              + store.url()
              + "; this sink writes to "
              + ts.storeUrl());
    }
  }

  private static <T> WindowFunction<T, Object> handlerOf(WindowHandler<? super T> handler) {
    Objects.requireNonNull(handler, "handler");
    // Safe: a window is read-only, so a handler of a supertype of T may read a window of T.
    @SuppressWarnings("unchecked")
    WindowHandler<T> h = (WindowHandler<T>) handler;
    return w -> {
      h.handle(w);
      return null;
    };
  }

  private Job<T> prepared(ConsumerSpec<T> spec) {
    Job<T> job = new Job<>(new JobConfig<>(store.backend(), engine, spec, source));
    job.prepare();
    return job;
  }

  private StreamingJob startJob(ConsumerSpec<T> spec) {
    StreamingJob job;
    if (runtime != null) {
      job = runtime.start(spec);
      if (source != null) {
        job = new AttachedJob(job, stream.attach(source));
      }
    } else {
      Job<T> j = prepared(spec);
      j.start(stream);
      job = j;
    }
    store.shared().register(job);
    return job;
  }

  private boolean runOnce(ConsumerSpec<T> spec) {
    if (runtime != null) {
      return runtime.once(spec);
    }
    Job<T> job = prepared(spec);
    boolean did = job.once();
    job.failure().ifPresent(DefaultStreaming::rethrow);
    return did;
  }

  /** Blocks until the job ends; throws what stopped it. */
  private static void runToEnd(StreamingJob job) {
    try {
      job.awaitTermination();
    } catch (InterruptedException e) {
      job.close();
      Thread.currentThread().interrupt();
      return;
    }
    job.failure().ifPresent(DefaultStreaming::rethrow);
  }

  /** Throws a job's failure: itself if unchecked, else wrapped. */
  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    throw new SluiceException("consumer stopped: " + failure, failure);
  }

  @Override
  public void run(WindowHandler<? super T> handler) {
    runToEnd(startJob(spec(handlerOf(handler), null)));
  }

  @Override
  public StreamingJob start(WindowHandler<? super T> handler) {
    return startJob(spec(handlerOf(handler), null));
  }

  @Override
  public boolean once(WindowHandler<? super T> handler) {
    return runOnce(spec(handlerOf(handler), null));
  }

  @Override
  public <R> Results<T, R> process(WindowFunction<? super T, ? extends R> function) {
    Objects.requireNonNull(function, "function");
    return new Results<>() {
      private Sink<Object> sink;

      @Override
      @SuppressWarnings("unchecked")
      public Results<T, R> sink(Sink<? super R> sink) {
        Objects.requireNonNull(sink, "sink");
        if (delivery == Delivery.EXACTLY_ONCE) {
          checkTransactional(sink);
        }
        this.sink = (Sink<Object>) sink;
        return this;
      }

      private ConsumerSpec<T> cfg() {
        if (sink == null) {
          throw new IllegalStateException(
              "process(..) needs a sink(..) for its results before run(), start() or once()");
        }
        return spec(function, sink);
      }

      @Override
      public void run() {
        runToEnd(startJob(cfg()));
      }

      @Override
      public StreamingJob start() {
        return startJob(cfg());
      }

      @Override
      public boolean once() {
        return runOnce(cfg());
      }
    };
  }

  @Override
  public String toString() {
    return "Streaming[" + stream.name() + ", group " + group + "]";
  }
}
