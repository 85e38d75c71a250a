package dev.sluice.pipeline;

/**
 * How much a queue holds, as the user gave it: in items ({@code queueSize}) or in batches ({@code
 * queueBatches}), at most one of them set.
 *
 * @param items items, or 0 when given in batches or not at all
 * @param batches batches, or 0 when given in items or not at all
 */
record QueueSize(int items, int batches) {
  static final QueueSize UNSET = new QueueSize(0, 0);

  static QueueSize ofItems(int items) {
    return new QueueSize(items, 0);
  }

  static QueueSize ofBatches(int batches) {
    return new QueueSize(0, batches);
  }

  boolean isSet() {
    return items > 0 || batches > 0;
  }

  /** This size, or {@code fallback} when this one is unset. */
  QueueSize or(QueueSize fallback) {
    return isSet() ? this : fallback;
  }

  /** The whole batches the queue holds; never 0, whatever the sizes (a queue of 0 would hang). */
  int capacity(int batchSize) {
    return batches > 0 ? batches : Math.max(1, items / batchSize);
  }

  /** For messages: {@code 5 items} or {@code 2 batches}. */
  @Override
  public String toString() {
    return batches > 0 ? batches + " batches" : items + " items";
  }
}
