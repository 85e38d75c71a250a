package dev.sluice.dataflow;

import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@link Execution#clusterMain(Dataflow, InputBuilder, OutputBuilder, ProcArgs)},
 * as {@link Parse#procArgs} and {@link Parse#procEnv} read them.
 *
 * @param addresses the {@code host:port} of every process, this one included; immutable copy
 * @param procId this process's index in {@code addresses}; not negative
 * @param workersPerProc worker threads per process; at least 1
 */
public record ProcArgs(List<String> addresses, int procId, int workersPerProc) {

  /**
   * Validates and copies the arguments.
   *
   * @throws IllegalArgumentException if {@code procId} is negative or {@code workersPerProc} below
   *     1
   */
  public ProcArgs {
    addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses must not be null"));
    if (procId < 0) {
      throw new IllegalArgumentException("procId must not be negative: " + procId);
    }
    if (workersPerProc < 1) {
      throw new IllegalArgumentException("workersPerProc must be at least 1: " + workersPerProc);
    }
  }
}
