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

  static void assertNoPipelineThreads() {
    assertThat(pipelineThreads()).as("threads of pipeline runs still alive").isEmpty();
  }
}
