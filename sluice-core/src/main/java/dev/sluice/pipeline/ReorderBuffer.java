package dev.sluice.pipeline;

/**
 * Puts batches back in feed order. Sequence numbers of undelivered batches lie within one in-flight
 * limit of the next expected one, so a ring of that size holds them all.
 */
final class ReorderBuffer {
  private final Batch[] ring;
  private long next;
  private int held;

  ReorderBuffer(int capacity) {
    ring = new Batch[capacity];
  }

  void put(Batch batch) {
    int slot = (int) (batch.seq % ring.length);
    if (batch.seq < next || batch.seq >= next + ring.length || ring[slot] != null) {
      throw new IllegalStateException(
          "batch " + batch.seq + " arrived twice or out of the in-flight window at " + next);
    }
    ring[slot] = batch;
    held++;
  }

  /** The next batch in feed order if it has arrived, else {@code null}. */
  Batch pollNext() {
    int slot = (int) (next % ring.length);
    Batch batch = ring[slot];
    if (batch == null) {
      return null;
    }
    ring[slot] = null;
    next++;
    held--;
    return batch;
  }

  int held() {
    return held;
  }

  long next() {
    return next;
  }
}
