package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

/** Finds the threads of pipeline runs by their name prefix. */
final class Threads {
  private Threads() {}

  static List<String> pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("sluice-pipeline-"))
        .sorted()
        .collect(Collectors.toList());
  }

  /** Whether a run's feed thread is parked, waiting for room downstream. */
  static boolean feederBlocked() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t ->
                t.getName().equals("sluice-pipeline-feed") && t.getState() == Thread.State.WAITING);
  }

  static void assertNoPipelineThreads() {
    assertThat(pipelineThreads()).as("threads of pipeline runs still alive").isEmpty();
  }
}
