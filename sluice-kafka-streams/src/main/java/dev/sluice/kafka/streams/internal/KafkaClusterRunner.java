package dev.sluice.kafka.streams.internal;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.ClusterRunner;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.InputBuilder;
import dev.sluice.dataflow.OutputBuilder;
import dev.sluice.dataflow.ProcArgs;
import dev.sluice.kafka.streams.DataflowRun;
import dev.sluice.spi.Sink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code Execution.clusterMain} with several addresses, on Kafka Streams: each local worker appends
 * its input to its own partition of the run's input topic and ends it, this JVM runs an instance of
 * the run with one stream thread per worker, and each local worker reads the captures of its
 * partition from the output topic into its sink until every capturing task of that partition ended.
 *
 * <p>The cluster is {@code sluice.kafka} (system property) or {@code SLUICE_KAFKA}, else {@code
 * SLUICE_URL} when it is a {@code kafka://} URL; the application id is {@code
 * sluice.application.id} / {@code SLUICE_APPLICATION_ID}, by default one derived from the
 * addresses, so a second run with the same addresses needs a new id.
 */
public final class KafkaClusterRunner implements ClusterRunner {

  @Override
  public void clusterMain(
      Dataflow<?, ?> flow,
      InputBuilder<?> inputBuilder,
      OutputBuilder<?> outputBuilder,
      ProcArgs args) {
    String servers = setting("sluice.kafka", "SLUICE_KAFKA");
    if (servers == null) {
      String url = setting("sluice.url", "SLUICE_URL");
      servers = url != null && url.startsWith("kafka://") ? url : null;
    }
    if (servers == null) {
      throw new SluiceException(
          "clusterMain with several addresses runs on Kafka Streams and needs the Kafka cluster:"
              + " set SLUICE_KAFKA (or -Dsluice.kafka) to kafka://host:port; addresses "
              + args.addresses());
    }
    String id = setting("sluice.application.id", "SLUICE_APPLICATION_ID");
    if (id == null) {
      id =
          "sluice-cluster-" + Long.toHexString(Integer.toUnsignedLong(args.addresses().hashCode()));
    }
    String app = id;
    int local = args.workersPerProc();
    int workers = args.addresses().size() * local;
    Io.Settings settings =
        Io.Settings.defaults(Io.bootstrap(servers))
            .with(
                d -> {
                  d.applicationId = Io.checkName("applicationId", app);
                  d.input = app + "-input";
                  d.output = app + "-output";
                  d.partitions = workers;
                  d.threads = local;
                });
    String stateDir = setting("sluice.state.dir", "SLUICE_STATE_DIR");
    if (stateDir != null) {
      String dir = java.nio.file.Path.of(stateDir, "proc-" + args.procId()).toString();
      settings = settings.with(d -> d.stateDir = dir);
    }
    Io.Settings io = settings;
    Plan plan = Plans.plan(flow, settings, workers);
    int markersPerPartition = plan.endMarkers() / workers;
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2 * local,
            r -> {
              Thread t =
                  new Thread(r, "sluice-cluster-io-" + ThreadLocalRandom.current().nextInt());
              t.setDaemon(true);
              return t;
            });
    try (DataflowRun run = Plans.start(flow, io)) {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < local; i++) {
        int worker = args.procId() * local + i;
        work.add(
            threads.submit(
                () -> {
                  Io.appendTo(io, worker, inputBuilder.build(worker, workers));
                  return null;
                }));
        work.add(
            threads.submit(
                () -> {
                  readOutput(io, outputBuilder, worker, workers, markersPerPartition);
                  return null;
                }));
      }
      for (Future<?> f : work) {
        await(f, threads);
      }
      run.awaitEnd();
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(Future<?> f, ExecutorService threads) {
    try {
      f.get();
    } catch (ExecutionException e) {
      threads.shutdownNow();
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new SluiceException("a dataflow worker failed: " + cause, cause);
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while running the dataflow", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void readOutput(
      Io.Settings settings, OutputBuilder<?> builder, int worker, int workers, int markers)
      throws Exception {
    try (Sink<Epoched<Object>> sink = ((OutputBuilder<Object>) builder).build(worker, workers)) {
      Set<String> ended = new HashSet<>();
      Io.readPartition(settings, worker, markers, ended, sink::write);
    }
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    return value != null && !value.isBlank() ? value : blankToNull(System.getenv(env));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
