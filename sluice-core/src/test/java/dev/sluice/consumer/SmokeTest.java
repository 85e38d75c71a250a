package dev.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void countWindowsOnSqlite() throws Exception {
    try (Store store = Sluice.open("sqlite:" + dir)) {
      var s = store.stream("test");
      for (int i = 0; i < 10; i++) {
        s.append(Map.of("n", i));
      }
      List<List<Map<String, Object>>> seen = new CopyOnWriteArrayList<>();
      try (StreamingJob job = store.streaming("test").size(3).start(w -> seen.add(w.data()))) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen.size() < 3 && System.nanoTime() < until) {
          Thread.sleep(10);
        }
      }
      assertThat(seen).hasSize(3);
      assertThat(s.groups().get(0).committed()).isEqualTo(9);
      assertThat(store.streaming("test").size(1).once(w -> seen.add(w.data()))).isTrue();
      assertThat(seen).hasSize(4);
    }
  }
}
