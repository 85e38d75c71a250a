package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.server.RunningApp;
import dev.sluice.server.StreamingApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * HTTP ingest through {@code sluice-server} against the embedded API in the same process and run.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar server [rounds] [samples]}.
 * Throughput: NDJSON bodies of 1,000 records posted one after another by one client, against {@code
 * appendAll} of the same 1,000 records as maps (and as pre-encoded bytes, for context); each round
 * runs every scenario in turn; round 0 is warm-up; medians of the rest. Latency: single-record
 * POSTs offered at 1,000 per second on a fixed schedule (open loop: each latency is measured from
 * the moment the request was due, so a stall is not hidden), after a warm-up.
 */
public final class ServerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 1_000;
  private static final int RECORDS_PER_RUN = 100_000;

  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private final String ndjson;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int counter;

  private ServerBench() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      Map<String, Object> m = ConsumerBench.payload(i);
      payloads.add(m);
      byte[] b = JSON.writeValueAsBytes(m);
      encoded.add(b);
      body.append(new String(b, StandardCharsets.UTF_8)).append('\n');
    }
    ndjson = body.toString();
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 12_000;
    Path dir = Files.createTempDirectory("sluice-server-bench");
    try {
      new ServerBench().run(dir, rounds, samples);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Scenario {
    double run() throws Exception;
  }

  private void run(Path dir, int rounds, int samples) throws Exception {
    double avg = encoded.stream().mapToInt(b -> b.length).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "server benchmark: payload %.0f-byte JSON objects, sync NORMAL, %,d records per run in"
            + " batches of %,d, 1 warm-up round + median of %d%n",
        avg,
        RECORDS_PER_RUN,
        BATCH,
        rounds);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println("load average before: " + Measure.load());
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"));
        RunningApp app = StreamingApp.builder().store(store).port(0).build().start()) {
      URI base = app.uri();
      Map<String, Scenario> scenarios = new LinkedHashMap<>();
      scenarios.put(
          "baseline: embedded appendAll of 1,000 maps (Jackson encodes them)",
          () -> appendAll(store));
      scenarios.put(
          "context: embedded appendAll of 1,000 pre-encoded records (Codecs.bytes)",
          () -> appendAllBytes(store));
      scenarios.put("HTTP POST of 1,000-record NDJSON bodies, 1 client", () -> postNdjson(base, 1));
      scenarios.put(
          "HTTP POST of 1,000-record NDJSON bodies, 2 clients", () -> postNdjson(base, 2));
      Map<String, List<Double>> results = new LinkedHashMap<>();
      scenarios.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      for (int round = 0; round <= rounds; round++) {
        for (var e : scenarios.entrySet()) {
          double rate = e.getValue().run();
          if (round > 0) {
            results.get(e.getKey()).add(rate);
          }
        }
        System.out.printf("round %d of %d done%n", round, rounds);
      }
      Measure.printRatios(results);
      List<Double> embeddedMaps = results.values().iterator().next();
      Map<String, Double> ratios = new LinkedHashMap<>();
      String[] labels = {
        "embedded appendAll, maps (baseline)",
        "embedded appendAll, bytes",
        "HTTP NDJSON, 1 client",
        "HTTP NDJSON, 2 clients"
      };
      int i = 0;
      for (List<Double> rates : results.values()) {
        ratios.put(
            labels[i++],
            Math.round(100 * Measure.median(rates) / Measure.median(embeddedMaps)) / 100.0);
      }
      Charts.bars(
          "server",
          "HTTP ingest vs the embedded appendAll (ratio of medians of " + rounds + " rounds)",
          "ratio to embedded appendAll of maps",
          ratios);

      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "latency at 1,000 requests/s offered, %,d samples after %,d warm-up%n",
          samples,
          samples / 5);
      System.out.println("| path | achieved req/s | p50 | p99 | p99.9 | max |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      EventStream<Map<String, Object>> embedded = store.stream("latency-embedded");
      Map<String, Double> p99 = new LinkedHashMap<>();
      p99.put(
          "embedded append",
          latency("embedded append (context)", samples, () -> embedded.append(payloads.get(0))));
      String single = new String(encoded.get(0), StandardCharsets.UTF_8);
      HttpRequest post =
          HttpRequest.newBuilder(base.resolve("/streams/latency-http"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(single))
              .build();
      p99.put(
          "HTTP POST of one record",
          latency(
              "HTTP POST of one JSON record",
              samples,
              () -> {
                HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                  throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
              }));
      Charts.bars(
          "server-latency",
          "p99 latency at 1,000 requests/s offered (ms, " + samples + " samples)",
          "p99 ms",
          p99);
    }
    System.out.println("load average after: " + Measure.load());
  }

  private double appendAll(Store store) {
    EventStream<Map<String, Object>> s = store.stream("embedded-" + counter++);
    long start = System.nanoTime();
    for (int done = 0; done < RECORDS_PER_RUN; done += BATCH) {
      s.appendAll(payloads);
    }
    return RECORDS_PER_RUN / ((System.nanoTime() - start) / 1e9);
  }

  private double appendAllBytes(Store store) {
    EventStream<byte[]> s = store.stream("bytes-" + counter++, Codecs.bytes());
    long start = System.nanoTime();
    for (int done = 0; done < RECORDS_PER_RUN; done += BATCH) {
      s.appendAll(encoded);
    }
    return RECORDS_PER_RUN / ((System.nanoTime() - start) / 1e9);
  }

  private double postNdjson(URI base, int clients) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/streams/http-" + counter++))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(ndjson))
            .build();
    AtomicInteger left = new AtomicInteger(RECORDS_PER_RUN / BATCH);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (left.getAndDecrement() > 0) {
                    HttpResponse<String> r =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a post failed", failures.get(0));
    }
    return RECORDS_PER_RUN / ((System.nanoTime() - start) / 1e9);
  }

  private interface Call {
    void run() throws Exception;
  }

  /**
   * Offers calls at 1,000 per second on a fixed schedule to 32 worker threads (so at most 32
   * connections); each latency counts from the moment its call was due, queueing included.
   */
  /** Prints one row of the latency table; returns its p99 in milliseconds. */
  private static double latency(String name, int samples, Call call) throws Exception {
    int warmup = samples / 5;
    int total = warmup + samples;
    long[] latencies = new long[samples];
    long period = 1_000_000; // 1 ms
    java.util.concurrent.BlockingQueue<long[]> due =
        new java.util.concurrent.LinkedBlockingQueue<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 32; w++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    long[] job = due.take();
                    if (job[0] < 0) {
                      return;
                    }
                    call.run();
                    int index = (int) job[0] - warmup;
                    if (index >= 0) {
                      latencies[index] = System.nanoTime() - job[1];
                    }
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              });
      t.start();
      workers.add(t);
    }
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long at = start + i * period;
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      due.add(new long[] {i, at});
    }
    for (int w = 0; w < workers.size(); w++) {
      due.add(new long[] {-1, 0});
    }
    for (Thread t : workers) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n",
        name,
        total / seconds,
        Measure.percentile(latencies, 0.50) / 1e6,
        Measure.percentile(latencies, 0.99) / 1e6,
        Measure.percentile(latencies, 0.999) / 1e6,
        latencies[latencies.length - 1] / 1e6);
    return Measure.percentile(latencies, 0.99) / 1e6;
  }
}
