package dev.sluice.pipeline;

import java.util.List;

/**
 * Items moving between stages, with the sequence number the feeder gave them. The stage that holds
 * a batch owns its array and may write its outputs into it, unless the batch is {@link #shared}: a
 * union hands one array to all its branches and keeps it for the join.
 */
final class Batch {
  /** Follows the last batch through every queue; its sequence is meaningless. */
  static final Batch END = new Batch(Long.MIN_VALUE, new Object[0], 0, false, true);

  final long seq;
  final Object[] items;
  final int size;

  /** Whether some items are {@link Finished}; lets the common path skip the type test. */
  final boolean hasFinished;

  /** Whether others read the array too, so that it must not be written. */
  final boolean shared;

  Batch(long seq, Object[] items, int size, boolean hasFinished) {
    this(seq, items, size, hasFinished, false);
  }

  Batch(long seq, Object[] items, int size, boolean hasFinished, boolean shared) {
    this.seq = seq;
    this.items = items;
    this.size = size;
    this.hasFinished = hasFinished;
    this.shared = shared;
  }

  /** The same batch, marked as read by several stages. */
  Batch asShared() {
    return shared ? this : new Batch(seq, items, size, hasFinished, true);
  }

  List<Object> readOnlyView() {
    return new Slice(items, size);
  }
}
