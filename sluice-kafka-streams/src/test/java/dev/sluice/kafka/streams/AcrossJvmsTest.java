package dev.sluice.kafka.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.KV;
import dev.sluice.kafka.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Instances in child JVMs: three share a run, and one killed with kill -9 resumes. */
@Timeout(240)
class AcrossJvmsTest extends OnBroker {
  static Process child(Path stateDir, String runId, List<String> cases, Path log)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(broker.bootstrap(), stateDir.toString(), runId));
    args.addAll(cases);
    return Children.java(List.of(), RunnerChildMain.class, args)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static void awaitSuccess(Process p, Path log) throws Exception {
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child did not end: " + Files.readString(log));
    }
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<String> local(Dataflow<?, ?> flow, List<Epoched<?>> input) {
    return ContractFlows.canonical(Execution.runCluster((Dataflow) flow, (List) input, 1, 3));
  }

  @Test
  void threeInstancesInThreeJvmsGiveTheLocalEnginesOutputOnEveryContractCase() throws Exception {
    List<String> names = new ArrayList<>();
    for (ContractFlows.Case c : ContractFlows.all()) {
      names.add(c.name());
      KafkaStreamsRunner runner =
          RunnerChildMain.runner(broker.bootstrap(), "three-" + c.name(), dir.resolve("unused"));
      runner.append(c.input());
      runner.endInput();
    }
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path log = dir.resolve("three-" + i + ".log");
      logs.add(log);
      children.add(child(dir.resolve("three-state-" + i), "three", names, log));
    }
    for (int i = 0; i < 3; i++) {
      awaitSuccess(children.get(i), logs.get(i));
    }

    for (ContractFlows.Case c : ContractFlows.all()) {
      KafkaStreamsRunner runner =
          RunnerChildMain.runner(broker.bootstrap(), "three-" + c.name(), dir.resolve("unused"));
      List<? extends Epoched<?>> onKafka = runner.captured(c.flow(), Duration.ofSeconds(10));
      assertThat(ContractFlows.canonical(onKafka))
          .as(c.name())
          .isEqualTo(local(c.flow(), c.input()));
    }
  }

  @Test
  void anInstanceKilledMidRunAndRestartedGivesEveryCaptureExactlyOnce() throws Exception {
    KafkaStreamsRunner runner =
        RunnerChildMain.runner(broker.bootstrap(), "kill-ledger", dir.resolve("unused"));
    runner.append(Ledger.input());
    runner.endInput();
    Path state = dir.resolve("kill-state");
    Path log = dir.resolve("kill-1.log");
    Process first = child(state, "kill", List.of("ledger"), log);
    long seen = awaitSomeCaptures("out-kill-ledger", 200, first, log);
    first.destroyForcibly().waitFor();

    Path log2 = dir.resolve("kill-2.log");
    Process second = child(state, "kill", List.of("ledger"), log2);
    awaitSuccess(second, log2);

    List<? extends Epoched<?>> onKafka = runner.captured(Ledger.flow(), Duration.ofSeconds(10));
    assertThat(seen).isLessThan(onKafka.size());
    assertThat(ContractFlows.canonical(onKafka)).isEqualTo(local(Ledger.flow(), Ledger.input()));
  }

  @Test
  void clusterMainWithTwoAddressesRunsTwoProcessesOnKafkaStreamsLikeSpawnCluster()
      throws Exception {
    List<Process> procs = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int proc = 0; proc < 2; proc++) {
      Path out = Files.createDirectories(dir.resolve("cluster-out-" + proc));
      Path log = dir.resolve("cluster-" + proc + ".log");
      logs.add(log);
      List<String> options =
          List.of(
              "-Dsluice.kafka=kafka://" + broker.bootstrap(),
              "-Dsluice.application.id=cluster-main",
              "-Dsluice.state.dir=" + dir.resolve("cluster-state"));
      procs.add(
          Children.java(
                  options, ClusterChildMain.class, List.of(Integer.toString(proc), out.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start());
    }
    for (int proc = 0; proc < 2; proc++) {
      awaitSuccess(procs.get(proc), logs.get(proc));
    }

    List<String> onKafka = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      // worker w of the four is worker w % 2 of process w / 2
      onKafka.addAll(
          Files.readAllLines(dir.resolve("cluster-out-" + w / 2).resolve("worker-" + w)));
    }
    List<Epoched<KV<String, Long>>> local = Collections.synchronizedList(new ArrayList<>());
    Execution.spawnCluster(
        ClusterChildMain.flow(), ClusterChildMain.input(), (i, n) -> local::add, 1, 4);
    Collections.sort(onKafka);
    assertThat(onKafka).isEqualTo(sortedLines(local));
  }

  static List<String> sortedLines(List<? extends Epoched<?>> pairs) {
    List<String> lines = new ArrayList<>();
    for (Epoched<?> p : pairs) {
      lines.add(p.epoch() + " " + p.item());
    }
    Collections.sort(lines);
    return lines;
  }

  /** Waits until the output holds {@code count} committed captures; returns how many it saw. */
  static long awaitSomeCaptures(String topic, int count, Process child, Path log) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("isolation.level", "read_committed");
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        seen += consumer.poll(Duration.ofMillis(100)).count();
        if (seen >= count) {
          return seen;
        }
        if (!child.isAlive()) {
          throw new AssertionError("child ended early: " + Files.readString(log));
        }
      }
    }
    throw new AssertionError("only " + seen + " captures: " + Files.readString(log));
  }
}
