package dev.sluice.spi.consumer;

import dev.sluice.Retention;
import java.time.Instant;
import java.util.Objects;

/**
 * One partition of one stream incarnation, as the consumer engine reads it.
 *
 * @param id the incarnation's id, unique in the store and never reused (a dropped stream's id is
 *     not given to a new one)
 * @param name the stream's name
 * @param incarnation the incarnation, new whenever the stream is created, dropped or cleared
 * @param partition the partition
 * @param firstOffset the first offset held in the partition
 * @param nextOffset the offset the partition's next record gets
 * @param timestampFloor no record appended from now on is stamped below this
 * @param retention the stream's retention
 */
public record StreamRow(
    long id,
    String name,
    String incarnation,
    int partition,
    long firstOffset,
    long nextOffset,
    Instant timestampFloor,
    Retention retention) {
  /** Checks the fields. */
  public StreamRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(timestampFloor, "timestampFloor");
    Objects.requireNonNull(retention, "retention");
  }
}
