package dev.sluice.kafka.streams.internal;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.kafka.streams.DataflowRun;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** Starts and watches one JVM's instance of a run. */
public final class Plans {
  private Plans() {}

  static Plan plan(Dataflow<?, ?> flow, Io.Settings s, int partitions) {
    return new Plan(
        flow,
        s.applicationId(),
        s.input(),
        s.output(),
        partitions,
        s.epochMillis(),
        s.graceMillis(),
        s.inputCodec(),
        s.outputCodec());
  }

  /** Creates missing topics and starts Kafka Streams on the flow's topology. */
  public static DataflowRun start(Dataflow<?, ?> flow, Io.Settings s) {
    Io.require(s);
    Plan draft = plan(flow, s, 1);
    int partitions = Io.ensureTopics(s, draft.exchangeTopics());
    Plan plan = plan(flow, s, partitions);
    Properties props = Io.clientProps(s);
    s.properties().forEach(props::put);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        s.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitMillis());
    props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.putIfAbsent(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    if (s.stateDir() != null) {
      props.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir());
    }
    Instance instance = new Instance(plan, s, new KafkaStreams(Topologies.build(plan), props));
    instance.start();
    return instance;
  }

  /** A running instance; fails its waiters with the step's exception. */
  private static final class Instance implements DataflowRun {
    private final Plan plan;
    private final Io.Settings settings;
    private final KafkaStreams streams;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Instance(Plan plan, Io.Settings settings, KafkaStreams streams) {
      this.plan = plan;
      this.settings = settings;
      this.streams = streams;
    }

    void start() {
      streams.setUncaughtExceptionHandler(
          e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                .SHUTDOWN_APPLICATION;
          });
      streams.start();
    }

    @Override
    public void awaitEnd() {
      awaitEnd(null);
    }

    @Override
    public boolean awaitEnd(Duration timeout) {
      long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      Set<String> ended = new HashSet<>();
      try (KafkaConsumer<byte[], byte[]> consumer = Io.outputReader(settings)) {
        while (ended.size() < plan.endMarkers()) {
          check();
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptException(new InterruptedException());
          }
          if (timeout != null && System.nanoTime() - deadline > 0) {
            return false;
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            Io.endMarker(r, plan.applicationId(), ended);
          }
        }
        check();
        return true;
      } catch (InterruptException e) {
        Thread.interrupted();
        close();
        Thread.currentThread().interrupt();
        throw new SluiceException(
            "interrupted while waiting for the dataflow run " + plan.applicationId(),
            new InterruptedException("interrupted"));
      }
    }

    private void check() {
      Throwable failed = failure.get();
      if (failed != null) {
        close();
        Throwable cause = UserFailure.find(failed);
        throw new SluiceException(
            "the dataflow run "
                + plan.applicationId()
                + " failed: "
                + (cause == null ? failed : cause),
            cause == null ? failed : cause);
      }
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.ERROR
          || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING
          || state == KafkaStreams.State.PENDING_SHUTDOWN) {
        if (failure.get() != null) {
          check();
        }
        close();
        throw new SluiceException(
            "the dataflow run "
                + plan.applicationId()
                + " stopped ("
                + state
                + "): another instance failed or this one was closed");
      }
    }

    @Override
    public void close() {
      streams.close(Duration.ofSeconds(10));
    }
  }
}
