package dev.sluice.kafka.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM's instance: {@code <servers> <state dir> <run id> <case>...} starts every named
 * contract case (or "ledger") as an instance of its run and exits 0 once all runs ended.
 */
public final class RunnerChildMain {
  private RunnerChildMain() {}

  public static void main(String[] args) {
    try {
      runAll(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void runAll(String[] args) {
    String servers = args[0];
    Path stateDir = Path.of(args[1]);
    String runId = args[2];
    List<DataflowRun> runs = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String name = args[i];
      KafkaStreamsRunner runner = runner(servers, runId + "-" + name, stateDir.resolve(name));
      runs.add(runner.start(flow(name)));
    }
    System.out.println("started");
    System.out.flush();
    for (DataflowRun run : runs) {
      run.awaitEnd();
    }
    for (DataflowRun run : runs) {
      run.close();
    }
    System.out.println("ended");
  }

  static dev.sluice.dataflow.Dataflow<?, ?> flow(String name) {
    return name.equals("ledger") ? Ledger.flow() : ContractFlows.byName(name).flow();
  }

  static KafkaStreamsRunner runner(String servers, String name, Path stateDir) {
    return KafkaStreamsRunner.on(servers)
        .applicationId("app-" + name)
        .input("in-" + name)
        .output("out-" + name)
        .partitions(3)
        .commitInterval(Duration.ofMillis(100))
        .stateDir(stateDir)
        .property("consumer.session.timeout.ms", "6000")
        .property("consumer.heartbeat.interval.ms", "500")
        .property("producer.transaction.timeout.ms", "5000");
  }
}
