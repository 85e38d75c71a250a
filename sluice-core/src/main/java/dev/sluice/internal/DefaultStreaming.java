package dev.sluice.internal;

import dev.sluice.DeadLetter;
import dev.sluice.Delivery;
import dev.sluice.Retry;
import dev.sluice.SluiceException;
import dev.sluice.StartFrom;
import dev.sluice.StoreException;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.WindowEmitter;
import dev.sluice.WindowFunction;
import dev.sluice.WindowHandler;
import dev.sluice.Windows;
import dev.sluice.internal.consumer.GroupTables;
import dev.sluice.internal.consumer.Job;
import dev.sluice.internal.consumer.JobConfig;
import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import dev.sluice.spi.TransactionalSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/** The {@link Streaming} builder over a store with consumer tables. */
final class DefaultStreaming<T> implements Streaming<T> {
  private final StoreHandle store;
  private final DefaultEventStream<T> stream;
  private final GroupTables tables;
  private String group = "default";
  private StartFrom startFrom = StartFrom.EARLIEST;
  private WindowEmitter<T> emitter = cast(Windows.count(1));
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
    if (!(store.backend() instanceof GroupTables t)) {
      throw new StoreException(
          "store " + store.url() + " does not support consumers (Streaming) yet");
    }
    this.tables = t;
  }

  @SuppressWarnings("unchecked")
  private static <T> WindowEmitter<T> cast(WindowEmitter<?> e) {
    return (WindowEmitter<T>) e;
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
    this.emitter = cast(Objects.requireNonNull(emitter, "emitter"));
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

  private JobConfig<T> config(JobConfig.Processor<T> processor, Sink<Object> sink) {
    if (delivery == Delivery.EXACTLY_ONCE) {
      checkTransactional(sink);
    }
    return new JobConfig<>(
        store.backend(),
        tables,
        stream.name(),
        stream.codec(),
        group,
        startFrom,
        emitter,
        workers,
        executor,
        keep,
        retry,
        deadLetter,
        delivery,
        emitEmpty,
        maxEmptyCatchUp,
        lease,
        groupExpiry,
        source,
        processor,
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

  private static <T> JobConfig.Processor<T> handlerOf(WindowHandler<? super T> handler) {
    Objects.requireNonNull(handler, "handler");
    @SuppressWarnings("unchecked")
    WindowHandler<T> h = (WindowHandler<T>) handler;
    return w -> {
      h.handle(w);
      return null;
    };
  }

  private Job<T> prepared(JobConfig<T> cfg) {
    Job<T> job = new Job<>(cfg);
    job.prepare();
    store.shared().ensureMaintenance();
    return job;
  }

  private StreamingJob startJob(JobConfig<T> cfg) {
    Job<T> job = prepared(cfg);
    job.start(stream);
    store.shared().register(job);
    return job;
  }

  private static void run(StreamingJob job) {
    try {
      job.awaitTermination();
    } catch (InterruptedException e) {
      job.close();
      Thread.currentThread().interrupt();
      return;
    }
    Throwable failure = job.failure().orElse(null);
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure != null) {
      throw new SluiceException("consumer stopped: " + failure, failure);
    }
  }

  @Override
  public void run(WindowHandler<? super T> handler) {
    run(startJob(config(handlerOf(handler), null)));
  }

  @Override
  public StreamingJob start(WindowHandler<? super T> handler) {
    return startJob(config(handlerOf(handler), null));
  }

  @Override
  public boolean once(WindowHandler<? super T> handler) {
    Job<T> job = prepared(config(handlerOf(handler), null));
    boolean did = job.once();
    Throwable failure = job.failure().orElse(null);
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure != null) {
      throw new SluiceException("consumer failed: " + failure, failure);
    }
    return did;
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

      private JobConfig<T> cfg() {
        if (sink == null) {
          throw new IllegalStateException(
              "process(..) needs a sink(..) for its results before run(), start() or once()");
        }
        @SuppressWarnings("unchecked")
        WindowFunction<T, ? extends R> f = (WindowFunction<T, ? extends R>) function;
        return config(f::apply, sink);
      }

      @Override
      public void run() {
        DefaultStreaming.run(startJob(cfg()));
      }

      @Override
      public StreamingJob start() {
        return DefaultStreaming.this.startJob(cfg());
      }

      @Override
      public boolean once() {
        Job<T> job = prepared(cfg());
        boolean did = job.once();
        Throwable failure = job.failure().orElse(null);
        if (failure instanceof RuntimeException re) {
          throw re;
        }
        return did;
      }
    };
  }

  @Override
  public String toString() {
    return "Streaming[" + stream.name() + ", group " + group + "]";
  }
}
