package dev.sluice.internal.base;

/** Checks for backends whose streams have one partition. */
public final class Partitions {
  private Partitions() {}

  /**
   * Throws unless {@code partition} is 0, the only partition of a stream of a single-partition
   * store.
   */
  public static void checkSingle(String storeUrl, String stream, int partition) {
    if (partition != 0) {
      throw new IllegalArgumentException(
          "stream \""
              + stream
              + "\" of store "
              + storeUrl
              + " has one partition (0); there is no partition "
              + partition);
    }
  }
}
