package dev.sluice.kafka.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dataflow contract on a real broker, one instance in this JVM: same captures as locally. */
@Timeout(120)
class KafkaStreamsRunnerTest extends OnBroker {
  static final int PARTITIONS = 3;

  static KafkaStreamsRunner runner(String name, Path stateDir) {
    return KafkaStreamsRunner.on(broker.url())
        .applicationId("app-" + name)
        .input("in-" + name)
        .output("out-" + name)
        .partitions(PARTITIONS)
        .commitInterval(Duration.ofMillis(50))
        .stateDir(stateDir);
  }

  void sameAsLocally(String name) {
    ContractFlows.Case c = ContractFlows.byName(name);
    KafkaStreamsRunner runner = runner(name, dir.resolve(name));
    runner.append(c.input());
    runner.endInput();

    runner.run(c.flow());

    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Epoched<Object>> local =
        Execution.runCluster((Dataflow) c.flow(), (List) c.input(), 1, PARTITIONS);
    List<? extends Epoched<?>> onKafka = runner.captured(c.flow(), Duration.ofSeconds(30));
    assertThat(local).isNotEmpty();
    assertThat(ContractFlows.canonical(onKafka)).isEqualTo(ContractFlows.canonical(local));
  }

  @Test
  void wordCountGivesTheLocalEnginesCounts() {
    sameAsLocally("word-count");
  }

  @Test
  void reduceWithIsCompleteGivesTheLocalEnginesAggregates() {
    sameAsLocally("reduce");
  }

  @Test
  void reduceEpochThroughTwoExchangesGivesTheLocalEnginesAggregates() {
    sameAsLocally("reduce-epoch");
  }

  @Test
  void reduceEpochLocalGivesOneAggregatePerPartitionLikeTheLocalWorkers() {
    sameAsLocally("reduce-epoch-local");
  }

  @Test
  void statefulMapForgetsAStateReturnedAsNullLikeTheLocalEngine() {
    sameAsLocally("stateful-map");
  }

  @Test
  void severalCapturesShareTheOutputLikeTheLocalEngine() {
    sameAsLocally("several-captures");
  }
}
