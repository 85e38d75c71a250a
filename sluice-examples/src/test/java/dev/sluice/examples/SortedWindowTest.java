package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SortedWindowTest {
  @Test
  void sortsKeepsTheEvenOnesTenAtATime() {
    try (Store store = Sluice.open("mem:")) {
      var s = store.stream("t");
      for (int i = 19; i >= 0; i--) {
        s.append(Map.of("n", i));
      }
      List<List<Object>> windows = new ArrayList<>();
      var consumer = store.streaming("t").window(new SortedWindow());
      while (consumer.once(w -> windows.add(w.data().stream().map(v -> v.get("n")).toList()))) {}
      assertThat(windows).containsExactly(List.of(10, 12, 14, 16, 18), List.of(0, 2, 4, 6, 8));
    }
  }
}
