package dev.sluice.kafka;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a Java main class in a JVM of its own, from the test classpath. */
final class ChildJvm {
  private ChildJvm() {}

  static ProcessBuilder builder(Class<?> main, String... args) {
    return builder(main.getName(), args);
  }

  static ProcessBuilder builder(String mainClass, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /**
   * Runs a main class to its end with {@code stdin} as its input; returns its standard output.
   *
   * @throws IllegalStateException if it fails or runs longer than two minutes
   */
  static String run(String mainClass, String stdin, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("child", ".out");
    Path err = Files.createTempFile("child", ".err");
    Path in = Files.createTempFile("child", ".in");
    Files.writeString(in, stdin);
    Process p =
        builder(mainClass, args)
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(mainClass + " did not end: " + Files.readString(err));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          mainClass + " exited " + p.exitValue() + ": " + Files.readString(err) + output);
    }
    for (File f : List.of(out.toFile(), err.toFile(), in.toFile())) {
      f.delete();
    }
    return output;
  }
}
