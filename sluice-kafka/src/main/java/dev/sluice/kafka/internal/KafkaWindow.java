package dev.sluice.kafka.internal;

import dev.sluice.Record;
import dev.sluice.Window;
import java.time.Instant;
import java.util.List;

/** A window handed to a handler; read-only. */
record KafkaWindow<T>(
    String id,
    String stream,
    int partition,
    String group,
    List<T> data,
    List<Record<T>> records,
    long firstOffset,
    long lastOffset,
    Instant start,
    Instant end,
    int attempt)
    implements Window<T> {

  static <T> KafkaWindow<T> of(
      String stream,
      String group,
      int partition,
      long seq,
      List<Record<T>> records,
      long firstOffset,
      long lastOffset,
      Instant start,
      Instant end,
      int attempt) {
    return new KafkaWindow<>(
        group + "/" + partition + "/" + seq,
        stream,
        partition,
        group,
        records.stream().map(Record::value).toList(),
        List.copyOf(records),
        firstOffset,
        lastOffset,
        start,
        end,
        attempt);
  }

  @Override
  public int size() {
    return records.size();
  }
}
