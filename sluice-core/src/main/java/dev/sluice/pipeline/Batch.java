package dev.sluice.pipeline;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Items moving between stages, with the sequence number the feeder gave them. A batch's array is
 * never written after the batch is handed on (a union's branches share it).
 */
final class Batch {
  /** Follows the last batch through every queue; its sequence is meaningless. */
  static final Batch END = new Batch(Long.MIN_VALUE, new Object[0], 0, false);

  final long seq;
  final Object[] items;
  final int size;

  /** Whether some items are {@link Finished}; lets the common path skip the type test. */
  final boolean hasFinished;

  Batch(long seq, Object[] items, int size, boolean hasFinished) {
    this.seq = seq;
    this.items = items;
    this.size = size;
    this.hasFinished = hasFinished;
  }

  List<Object> readOnlyView() {
    return Collections.unmodifiableList(Arrays.asList(items).subList(0, size));
  }
}
