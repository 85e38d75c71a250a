package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Runs {@link Dataflow}s: bytewax's {@code run}, {@code run_cluster}, {@code spawn_cluster} and
 * {@code cluster_main}, on worker threads of this JVM.
 *
 * <p>Workers are threads named {@code sluice-dataflow-w<index>}, daemon, all ended before a method
 * returns or throws. Keyed steps exchange items between them through in-memory queues; an epoch is
 * complete at a worker once every upstream worker has passed it.
 *
 * <p><b>Failures.</b> An exception thrown by any user function (step functions, input and output
 * builders, input iterators, output sinks) stops every worker and is rethrown to the caller as the
 * very same object, checked exceptions included: these methods declare no checked exceptions, so
 * catch {@code Exception} to catch a checked one. Errors of Sluice's own (bad epochs, bad keys) are
 * {@link SluiceException}s.
 *
 * <p><b>Interruption.</b> Interrupting the calling thread stops every worker promptly (a worker
 * blocked in user code that ignores interrupts ends when that code returns); the method then throws
 * a {@link SluiceException} whose cause is the {@link InterruptedException}, with the thread's
 * interrupt flag set again.
 *
 * <p>All methods block until the run ends and are safe to call from any thread, also concurrently
 * for different runs.
 */
public final class Execution {
  private Execution() {}

  /**
   * Runs the flow on one worker, the calling thread, and returns the captured {@code (epoch, item)}
   * pairs in the order they were captured (which is non-decreasing in epoch).
   *
   * @param input the {@code (epoch, item)} pairs, epochs not decreasing; iterated once
   * @throws SluiceException if epochs decrease or a keyed step meets a bad item or key
   */
  public static <I, O> List<Epoched<O>> run(
      Dataflow<I, O> flow, Iterable<? extends Epoched<? extends I>> input) {
    Objects.requireNonNull(flow, "flow must not be null");
    Objects.requireNonNull(input, "input must not be null");
    return typed(Engine.runAlone(flow, input));
  }

  /**
   * Runs the flow on {@code procCount × workersPerProc} worker threads of this JVM and returns the
   * captured pairs sorted by epoch (within an epoch in no defined order).
   *
   * <p>The calling thread reads {@code input} once and hands the pair at position {@code p} to
   * worker {@code p % workerCount}; the epochs each worker gets must not decrease, which holds when
   * the whole input's epochs do not decrease.
   *
   * @throws IllegalArgumentException if a count is below 1
   */
  public static <I, O> List<Epoched<O>> runCluster(
      Dataflow<I, O> flow,
      Iterable<? extends Epoched<? extends I>> input,
      int procCount,
      int workersPerProc) {
    Objects.requireNonNull(flow, "flow must not be null");
    Objects.requireNonNull(input, "input must not be null");
    int workers = workerCount(procCount, workersPerProc);
    return typed(Engine.runFed(flow, input, workers));
  }

  /** {@link #runCluster(Dataflow, Iterable, int, int)} with counts from {@link Parse}. */
  public static <I, O> List<Epoched<O>> runCluster(
      Dataflow<I, O> flow, Iterable<? extends Epoched<? extends I>> input, ClusterArgs args) {
    Objects.requireNonNull(args, "args must not be null");
    return runCluster(flow, input, args.procCount(), args.workersPerProc());
  }

  /**
   * Runs the flow on {@code procCount × workersPerProc} worker threads of this JVM (bytewax would
   * start processes; a JVM has no GIL, so threads do the same work without copying). Each worker
   * calls {@code inputBuilder} and {@code outputBuilder} once, on its own thread, with its index
   * and the worker count, reads its own input and writes its captures to its own sink.
   *
   * @throws IllegalArgumentException if a count is below 1
   */
  public static <I, O> void spawnCluster(
      Dataflow<I, O> flow,
      InputBuilder<? extends I> inputBuilder,
      OutputBuilder<? super O> outputBuilder,
      int procCount,
      int workersPerProc) {
    Objects.requireNonNull(flow, "flow must not be null");
    Objects.requireNonNull(inputBuilder, "inputBuilder must not be null");
    Objects.requireNonNull(outputBuilder, "outputBuilder must not be null");
    int workers = workerCount(procCount, workersPerProc);
    Engine.runThreads(flow, workers, io(inputBuilder, outputBuilder));
  }

  /**
   * Runs this process's part of a cluster, as bytewax's {@code cluster_main}. With no address, or
   * with this process's address alone ({@code procId} 0), it runs {@code workersPerProc} workers
   * locally, exactly like {@code spawnCluster(flow, inputBuilder, outputBuilder, 1,
   * workersPerProc)}.
   *
   * <p>With several addresses it hands the run to the {@link ClusterRunner} on the classpath — the
   * Kafka Streams runner of the module {@code dev.sluice:sluice-kafka-streams} — which blocks until
   * the whole run has ended; without one it fails before reading any input, naming the module to
   * add. Sluice never opens an exchange of its own between processes.
   *
   * @param addresses the {@code host:port} of every process of the cluster, this one included
   * @param procId this process's index in {@code addresses}
   * @throws SluiceException if there are several addresses and no {@link ClusterRunner} on the
   *     classpath
   * @throws IllegalArgumentException if {@code procId} is not an index of {@code addresses}, or
   *     {@code workersPerProc} is below 1
   */
  public static <I, O> void clusterMain(
      Dataflow<I, O> flow,
      InputBuilder<? extends I> inputBuilder,
      OutputBuilder<? super O> outputBuilder,
      List<String> addresses,
      int procId,
      int workersPerProc) {
    Objects.requireNonNull(addresses, "addresses must not be null");
    List<String> copy = new ArrayList<>(addresses);
    if (copy.size() > 1) {
      if (procId < 0 || procId >= copy.size()) {
        throw new IllegalArgumentException(
            "procId must be an index of addresses " + copy + ": " + procId);
      }
      ClusterRunner runner =
          ServiceLoader.load(ClusterRunner.class, Execution.class.getClassLoader())
              .findFirst()
              .orElseThrow(
                  () ->
                      new SluiceException(
                          "clusterMain got "
                              + copy.size()
                              + " addresses "
                              + copy
                              + ": multi-process runs go through the Kafka Streams runner; add"
                              + " dev.sluice:sluice-kafka-streams to the classpath, or pass only"
                              + " this process's address to run its workers locally"));
      runner.clusterMain(
          flow, inputBuilder, outputBuilder, new ProcArgs(copy, procId, workersPerProc));
      return;
    }
    int processes = Math.max(1, copy.size());
    if (procId < 0 || procId >= processes) {
      throw new IllegalArgumentException(
          "procId must be an index of addresses " + copy + ": " + procId);
    }
    spawnCluster(flow, inputBuilder, outputBuilder, 1, workersPerProc);
  }

  /**
   * {@link #clusterMain(Dataflow, InputBuilder, OutputBuilder, List, int, int)} with {@link
   * ProcArgs}.
   */
  public static <I, O> void clusterMain(
      Dataflow<I, O> flow,
      InputBuilder<? extends I> inputBuilder,
      OutputBuilder<? super O> outputBuilder,
      ProcArgs args) {
    Objects.requireNonNull(args, "args must not be null");
    clusterMain(
        flow, inputBuilder, outputBuilder, args.addresses(), args.procId(), args.workersPerProc());
  }

  private static int workerCount(int procCount, int workersPerProc) {
    if (procCount < 1) {
      throw new IllegalArgumentException("procCount must be at least 1: " + procCount);
    }
    if (workersPerProc < 1) {
      throw new IllegalArgumentException("workersPerProc must be at least 1: " + workersPerProc);
    }
    long workers = (long) procCount * workersPerProc;
    if (workers > 4096) {
      throw new IllegalArgumentException(
          "procCount × workersPerProc must be at most 4096 worker threads: "
              + procCount
              + " × "
              + workersPerProc);
    }
    return (int) workers;
  }

  @SuppressWarnings("unchecked")
  private static Engine.WorkerIo io(InputBuilder<?> inputs, OutputBuilder<?> outputs) {
    OutputBuilder<Object> out = (OutputBuilder<Object>) outputs;
    return new Engine.WorkerIo() {
      @Override
      public WorkerInput input(int index, int count) throws Exception {
        return WorkerInput.of(inputs.build(index, count), index);
      }

      @Override
      public dev.sluice.spi.Sink<Epoched<Object>> output(int index, int count) throws Exception {
        return out.build(index, count);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <O> List<Epoched<O>> typed(List<Epoched<Object>> pairs) {
    return (List) pairs;
  }
}
