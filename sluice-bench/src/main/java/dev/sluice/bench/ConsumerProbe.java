package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.StreamingJob;
import dev.sluice.SyncMode;
import dev.sluice.spi.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Throwaway experiment: where the end-to-end time goes. Per round, in one process: the raw
 * baseline; the producer alone; the consumer alone draining pre-appended records; both again with
 * pre-encoded bytes (no Jackson); end to end with bytes. Prints medians and, for the consumer, the
 * gap between one handler call's end and the next one's start (claim + read + decode + commit).
 *
 * <p>Usage: {@code java -cp sluice-bench.jar dev.sluice.bench.ConsumerProbe [runs=3]
 * [records=500000]}.
 */
public final class ConsumerProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private int counter;

  private ConsumerProbe() throws Exception {
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> m = ConsumerBench.payload(i);
      payloads.add(m);
      encoded.add(JSON.writeValueAsBytes(m));
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
    new ConsumerProbe().run(runs, records);
  }

  private void run(int runs, int records) throws Exception {
    System.out.println("CPU: " + Measure.cpu() + "; load " + Measure.load());
    Path dir = Files.createTempDirectory("sluice-consumer-probe");
    Map<String, List<Double>> res = new LinkedHashMap<>();
    List<Double> gaps = new ArrayList<>();
    List<Double> handler = new ArrayList<>();
    try (Store store =
            Sluice.open(
                "sqlite:" + dir.resolve("store"), StoreOptions.defaults().sync(SyncMode.NORMAL));
        Connection raw =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"))) {
      try (Statement st = raw.createStatement()) {
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("PRAGMA busy_timeout = 10000");
      }
      for (int round = 0; round <= runs; round++) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("baseline raw", AppendBench.rawBatch(raw, 3_000_000 + counter++, encoded, records));
        String json = "j" + counter++;
        r.put("producer alone, Map+Jackson", produce(store.stream(json), payloads, records));
        double[] g = new double[2];
        r.put("consumer alone, Map+Jackson, drain", drain(store, json, Codecs.json(), records, g));
        if (round > 0) {
          gaps.add(g[0]);
          handler.add(g[1]);
        }
        String bytes = "b" + counter++;
        r.put(
            "producer alone, bytes",
            produce(store.stream(bytes, Codecs.bytes()), encoded, records));
        r.put("consumer alone, bytes, drain", drain(store, bytes, Codecs.bytes(), records, g));
        r.put("end-to-end, bytes", e2eBytes(store, records));
        System.out.println("round " + round + " " + r + " load " + Measure.load());
        if (round > 0) {
          r.forEach((k, v) -> res.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
      }
    }
    double base = Measure.median(res.get("baseline raw"));
    for (var e : res.entrySet()) {
      double m = Measure.median(e.getValue());
      System.out.printf(Locale.ROOT, "| %s | %s | %.2f |%n", e.getKey(), Measure.rate(m), m / base);
    }
    System.out.printf(
        Locale.ROOT,
        "consumer (Jackson) per window of 1,000: median gap between handler calls %.3f ms,"
            + " handler %.3f ms%n",
        Measure.median(gaps),
        Measure.median(handler));
  }

  private <T> double produce(EventStream<T> s, List<T> batch, int records) {
    long start = System.nanoTime();
    for (int done = 0; done < records; done += 1000) {
      s.appendAll(batch);
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private <T> double drain(Store store, String name, Codec<T> codec, int records, double[] gap)
      throws Exception {
    AtomicLong seen = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long[] gaps = new long[records / 1000];
    long[] busy = new long[records / 1000];
    long[] lastEnd = {0};
    int[] i = {0};
    long start = System.nanoTime();
    StreamingJob job =
        store
            .streaming(name, codec)
            .group("g")
            .size(1000)
            .start(
                w -> {
                  long t0 = System.nanoTime();
                  int k = i[0]++;
                  if (lastEnd[0] != 0 && k < gaps.length) {
                    gaps[k] = t0 - lastEnd[0];
                  }
                  long n = 0;
                  for (T v : w.data()) {
                    n += v == null ? 0 : 1;
                  }
                  if (seen.addAndGet(n) == records) {
                    done.countDown();
                  }
                  lastEnd[0] = System.nanoTime();
                  if (k < busy.length) {
                    busy[k] = lastEnd[0] - t0;
                  }
                });
    done.await(10, TimeUnit.MINUTES);
    EventStream<T> s = store.stream(name, codec);
    while (committed(s) < records) {
      LockSupport.parkNanos(200_000);
    }
    double rate = records / ((System.nanoTime() - start) / 1e9);
    job.close();
    long[] sg = Arrays.copyOfRange(gaps, 1, gaps.length);
    Arrays.sort(sg);
    Arrays.sort(busy);
    gap[0] = Measure.percentile(sg, 0.5) / 1e6;
    gap[1] = Measure.percentile(busy, 0.5) / 1e6;
    return rate;
  }

  private double e2eBytes(Store store, int records) throws Exception {
    String name = "e" + counter++;
    EventStream<byte[]> s = store.stream(name, Codecs.bytes());
    AtomicLong seen = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    StreamingJob job =
        store
            .streaming(name, Codecs.bytes())
            .group("g")
            .size(1000)
            .start(
                w -> {
                  if (seen.addAndGet(w.size()) == records) {
                    done.countDown();
                  }
                });
    long start = System.nanoTime();
    Thread p =
        new Thread(
            () -> {
              for (int d = 0; d < records; d += 1000) {
                s.appendAll(encoded);
              }
            });
    p.start();
    done.await(10, TimeUnit.MINUTES);
    while (committed(s) < records) {
      LockSupport.parkNanos(200_000);
    }
    double rate = records / ((System.nanoTime() - start) / 1e9);
    p.join();
    job.close();
    return rate;
  }

  private static long committed(EventStream<?> s) {
    for (GroupMetadata g : s.groups()) {
      if (g.name().equals("g")) {
        return g.committed();
      }
    }
    return -1;
  }
}
