package dev.sluice.dataflow;

/**
 * The arguments of {@link Execution#runCluster(Dataflow, Iterable, ClusterArgs)}, as {@link
 * Parse#clusterArgs} reads them from a command line.
 *
 * @param procCount the number of processes to simulate; at least 1
 * @param workersPerProc worker threads per process; at least 1
 */
public record ClusterArgs(int procCount, int workersPerProc) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException if a count is below 1
   */
  public ClusterArgs {
    if (procCount < 1) {
      throw new IllegalArgumentException("procCount must be at least 1: " + procCount);
    }
    if (workersPerProc < 1) {
      throw new IllegalArgumentException("workersPerProc must be at least 1: " + workersPerProc);
    }
  }
}
