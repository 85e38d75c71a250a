package dev.sluice.dataflow;

/**
 * Runs this process's part of a multi-process dataflow run: the service behind {@link
 * Execution#clusterMain} when it is given several addresses. Found with {@link
 * java.util.ServiceLoader}; the module {@code dev.sluice:sluice-kafka-streams} provides one on
 * Kafka Streams. Sluice itself never opens a network exchange between processes.
 *
 * <p>An implementation blocks until the whole run has ended, calls the builders as {@link
 * Execution#spawnCluster} does (worker index {@code procId × workersPerProc + i} of {@code
 * addresses.size() × workersPerProc}), and rethrows a user's exception as itself or as the cause of
 * a {@link dev.sluice.SluiceException}.
 */
public interface ClusterRunner {

  /**
   * Runs this process's workers of the run.
   *
   * @param flow the flow, the same in every process
   * @param inputBuilder builds each local worker's input
   * @param outputBuilder builds each local worker's sink of captures
   * @param args the addresses of every process, this process's index and its worker count
   */
  void clusterMain(
      Dataflow<?, ?> flow,
      InputBuilder<?> inputBuilder,
      OutputBuilder<?> outputBuilder,
      ProcArgs args);
}
