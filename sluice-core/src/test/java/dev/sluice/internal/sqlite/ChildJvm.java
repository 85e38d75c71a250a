package dev.sluice.internal.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test classpath in a JVM of its own. */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}, its output and errors going to {@code log}. */
  public static Process start(Class<?> main, Path log, String... args) throws IOException {
    return start(main, log, List.of(), args);
  }

  /** As {@link #start(Class, Path, String...)}, with options for the child JVM. */
  public static Process start(Class<?> main, Path log, List<String> jvmOptions, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
