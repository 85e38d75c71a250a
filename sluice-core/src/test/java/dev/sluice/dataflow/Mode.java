package dev.sluice.dataflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every way to run a flow, each given the same whole input and returning every captured pair. */
enum Mode {
  RUN {
    @Override
    <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input) {
      return Execution.run(flow, input);
    }
  },
  RUN_CLUSTER_1X1 {
    @Override
    <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input) {
      return Execution.runCluster(flow, input, 1, 1);
    }
  },
  RUN_CLUSTER_2X2 {
    @Override
    <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input) {
      return Execution.runCluster(flow, input, 2, 2);
    }
  },
  SPAWN_CLUSTER_1X3 {
    @Override
    <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input) {
      List<Epoched<O>> out = Collections.synchronizedList(new ArrayList<>());
      Execution.spawnCluster(
          flow, (i, n) -> Inputs.distribute(input, i, n), (i, n) -> out::add, 1, 3);
      return new ArrayList<>(out);
    }
  },
  CLUSTER_MAIN_LOCAL_2 {
    @Override
    <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input) {
      List<Epoched<O>> out = Collections.synchronizedList(new ArrayList<>());
      Execution.clusterMain(
          flow,
          (i, n) -> Inputs.distribute(input, i, n),
          (i, n) -> out::add,
          List.of("localhost:2101"),
          0,
          2);
      return new ArrayList<>(out);
    }
  };

  /** Runs {@code flow} over {@code input}, split round-robin over the mode's workers. */
  abstract <I, O> List<Epoched<O>> execute(Dataflow<I, O> flow, List<Epoched<I>> input);

  /** The number of workers the mode runs. */
  int workers() {
    switch (this) {
      case RUN_CLUSTER_2X2:
        return 4;
      case SPAWN_CLUSTER_1X3:
        return 3;
      case CLUSTER_MAIN_LOCAL_2:
        return 2;
      default:
        return 1;
    }
  }

  /** Live threads named like dataflow workers. */
  static List<Thread> workerThreads() {
    List<Thread> threads = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith("sluice-dataflow-w")) {
        threads.add(thread);
      }
    }
    return threads;
  }
}
