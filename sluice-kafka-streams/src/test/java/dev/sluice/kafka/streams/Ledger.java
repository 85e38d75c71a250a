package dev.sluice.kafka.streams;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.StateUpdate;
import java.util.List;

/**
 * The kill -9 case: running sums per key (state that a lost or replayed update would change), then
 * per-epoch totals; slowed down so that a kill lands mid-run.
 */
final class Ledger {
  private Ledger() {}

  static Dataflow<Integer, Object> flow() {
    return Dataflow.<Integer>builder()
        .map(
            (Integer i) -> {
              Thread.sleep(3);
              return KV.of("k" + (i % 5), (long) i);
            })
        .statefulMap(
            (String key) -> 0L, (Long sum, Long value) -> StateUpdate.of(sum + value, sum + value))
        .capture()
        .map((KV<String, Long> kv) -> KV.of(kv.key(), 1L))
        .reduceEpoch(Long::sum)
        .capture()
        .build();
  }

  /** One value per key and epoch, so that running sums do not depend on order within an epoch. */
  static List<Epoched<?>> input() {
    return ContractFlows.numbers(1500, 5);
  }
}
