package dev.sluice.dataflow;

import java.util.List;
import java.util.Set;

/** Prints the routing hashes of fixed keys; run in a fresh JVM to compare JVMs. */
final class HashProbe {
  private HashProbe() {}

  static List<Object> keys() {
    return List.of(
        Bytes.of((byte) 1, (byte) 2, (byte) 255),
        Bytes.of(),
        Set.of("apple", "pear", "plum", "fig", "kiwi"),
        Set.of(1L, 2L, 3L, 40L, 500L, 6000L),
        Set.of(List.of("a", 1), List.of("b", 2)),
        List.of(Set.of("x", "y", "z"), Bytes.of((byte) 7)));
  }

  static String hashes() {
    StringBuilder out = new StringBuilder();
    for (Object key : keys()) {
      out.append(Long.toHexString(KeyRouting.standard().hash(key))).append('\n');
    }
    return out.toString();
  }

  public static void main(String[] args) {
    System.out.print(hashes());
  }
}
