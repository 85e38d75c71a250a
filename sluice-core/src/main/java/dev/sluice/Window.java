package dev.sluice;

import java.time.Instant;
import java.util.List;

/**
 * One window of records, as a handler sees it: a contiguous offset range of one partition, claimed
 * by one worker of a group.
 *
 * <p>Its {@link #id()} and range are fixed when it is first claimed and stay the same on every
 * retry; {@link #attempt()} counts the claims, crashes included.
 *
 * @param <T> the value type
 */
public interface Window<T> {
  /** The window's id: group, partition and sequence, such as {@code billing/0/42}. */
  String id();

  /** The stream's name. */
  String stream();

  /** The partition (always 0 on the embedded store). */
  int partition();

  /** The consumer group. */
  String group();

  /** The window's values, in the order the emitter arranged them (offset order by default). */
  List<T> data();

  /** The window's records with their offsets, timestamps and keys. */
  List<Record<T>> records();

  /** How many records the handler sees. */
  int size();

  /** The first offset of the window's range, or -1 for an empty time window. */
  long firstOffset();

  /** The last offset of the window's range, or -1 for an empty time window. */
  long lastOffset();

  /** For a time window its start; for a count window its first record's timestamp. */
  Instant start();

  /** For a time window its end (exclusive); for a count window its last record's timestamp. */
  Instant end();

  /** Which claim of this window this is: 1 the first time, more after failures or crashes. */
  int attempt();
}
