package dev.sluice.internal.consumer;

import dev.sluice.Record;
import dev.sluice.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A window as handed to a handler. */
record DefaultWindow<T>(
    List<T> data,
    String id,
    String stream,
    int partition,
    String group,
    List<Record<T>> records,
    long firstOffset,
    long lastOffset,
    Instant start,
    Instant end,
    int attempt)
    implements Window<T> {

  DefaultWindow(
      String id,
      String stream,
      int partition,
      String group,
      List<Record<T>> records,
      long firstOffset,
      long lastOffset,
      Instant start,
      Instant end,
      int attempt) {
    this(
        values(records),
        id,
        stream,
        partition,
        group,
        Collections.unmodifiableList(records),
        firstOffset,
        lastOffset,
        start,
        end,
        attempt);
  }

  /** The values, taken once: handlers call {@code data()} freely. */
  private static <T> List<T> values(List<Record<T>> records) {
    List<T> values = new ArrayList<>(records.size());
    for (Record<T> r : records) {
      values.add(r.value());
    }
    return Collections.unmodifiableList(values);
  }

  @Override
  public int size() {
    return records.size();
  }

  @Override
  public String toString() {
    return "Window["
        + id
        + ", offsets "
        + firstOffset
        + ".."
        + lastOffset
        + ", "
        + size()
        + " records, attempt "
        + attempt
        + "]";
  }
}
