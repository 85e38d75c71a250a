package dev.sluice.jdbc;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A writer process for {@link OffsetVisibilityTest}: {@code threads} threads each append {@code
 * appends} batches of 1–20 records to stream {@code gap} (and, every fifth time, one to {@code
 * side}, so transactions span two streams), then it prints {@code done} and exits.
 */
public final class GapWriterMain {
  private GapWriterMain() {}

  /** Arguments: URL, writer id, threads, appends per thread, seed. */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int writer = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int appends = Integer.parseInt(args[3]);
    long seed = Long.parseLong(args[4]);
    try (Store store = Sluice.open(url)) {
      EventStream<Map<String, Object>> gap = store.stream("gap");
      EventStream<Map<String, Object>> side = store.stream("side");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed * 31 + thread);
                  for (int i = 0; i < appends; i++) {
                    List<Map<String, Object>> batch = new ArrayList<>();
                    int n = 1 + random.nextInt(20);
                    for (int k = 0; k < n; k++) {
                      batch.add(Map.of("w", writer, "t", thread, "i", i, "k", k));
                    }
                    if (i % 5 == 0) {
                      side.appendAsync(Map.of("w", writer));
                    }
                    gap.appendAll(batch);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    System.out.println("done");
  }
}
