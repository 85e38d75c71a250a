package dev.sluice.kafka;

import java.util.List;

/** Child JVMs for the Kafka Streams runner's tests, through sluice-kafka's {@link ChildJvm}. */
public final class Children {
  private Children() {}

  /** A JVM running {@code main} with {@code args}, the test classpath and extra JVM options. */
  public static ProcessBuilder java(List<String> options, Class<?> main, List<String> args) {
    ProcessBuilder builder = ChildJvm.builder(main, args.toArray(new String[0]));
    builder.command().addAll(1, options);
    return builder;
  }
}
