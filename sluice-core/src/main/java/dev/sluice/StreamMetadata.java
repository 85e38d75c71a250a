package dev.sluice;

import java.time.Instant;

/**
 * What a store knows about one stream at one moment.
 *
 * @param name the stream's name
 * @param incarnation changes whenever the stream is dropped and created again, or cleared
 * @param created when this incarnation was created
 * @param recordCount how many records the stream holds now
 * @param firstOffset the offset of the oldest record held, or of the next record if none is held
 * @param nextOffset the offset the next append will get; the last record's offset is one less
 * @param lastAppend when the last record was appended, or {@code null} if never
 * @param retention how long the stream keeps records
 */
public record StreamMetadata(
    String name,
    String incarnation,
    Instant created,
    long recordCount,
    long firstOffset,
    long nextOffset,
    Instant lastAppend,
    Retention retention) {

  /** The offset of the newest record, or -1 if the stream has never held one. */
  public long lastOffset() {
    return nextOffset - 1;
  }
}
