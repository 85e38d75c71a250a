package dev.sluice.cli;

import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.StartFrom;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Window;
import dev.sluice.Windows;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: a producer thread appends records to the stream {@code demo} while a
 * windowed consumer (group {@code demo}, windows of 100 records) prints each window as it closes,
 * both on the same store; ends with a summary once the consumer has caught up.
 */
@Command(
    name = "demo",
    description = {
      "Show Sluice working: a producer appends to the stream 'demo' while a consumer",
      "(group 'demo', windows of --window records, or fewer after 500 ms) prints each window",
      "as it closes. Ends by itself with a summary once the consumer has caught up."
    })
final class DemoCommand implements Callable<Integer> {
  private static final String GROUP = "demo";
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Option(
      names = "--records",
      defaultValue = "2000",
      description = "How many records to append (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--batch",
      defaultValue = "20",
      description = "Records per atomic append (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--interval",
      defaultValue = "40ms",
      converter = Durations.class,
      description = "Pause between appends: 40ms, 1s, PT0.04S (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--window",
      defaultValue = "100",
      description = "Records per window (default: ${DEFAULT-VALUE}).")
  int window;

  @Override
  public Integer call() throws Exception {
    if (records < 1 || batch < 1 || window < 1) {
      throw new IllegalArgumentException(
          "--records, --batch and --window must be at least 1: "
              + records
              + ", "
              + batch
              + ", "
              + window);
    }
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    try (Store s = store.open()) {
      EventStream<Map<String, Object>> stream = s.stream("demo");
      long from = stream.metadata().nextOffset();
      out.printf(
          "Sluice demo: store %s, stream \"demo\" (%d records already there)%n"
              + "a producer appends %d records in batches of %d while group \"%s\" consumes"
              + " windows of %d%n",
          s.url(), stream.metadata().recordCount(), records, batch, GROUP, window);
      out.flush();
      Consumed consumed = new Consumed();
      try (StreamingJob job =
          s.streaming("demo")
              .group(GROUP)
              .startFrom(StartFrom.offset(from))
              .window(Windows.count(window).orAfter(Duration.ofMillis(500)))
              .start(w -> consumed.window(w, out))) {
        Producer producer = new Producer(stream, out);
        Thread thread = new Thread(producer, "sluice-demo-producer");
        thread.start();
        thread.join();
        if (producer.failure.get() != null) {
          throw new IllegalStateException(
              "the demo producer failed: " + producer.failure.get(), producer.failure.get());
        }
        long end = stream.metadata().nextOffset();
        if (!consumed.awaitPast(end - 1, job)) {
          spec.commandLine()
              .getErr()
              .println(
                  "sluice: the consumer did not catch up"
                      + job.failure().map(f -> ": " + f).orElse(" within " + CATCH_UP_LIMIT));
          return 1;
        }
      }
      GroupMetadata g =
          stream.groups().stream().filter(x -> x.name().equals(GROUP)).findFirst().orElseThrow();
      out.printf(
          Locale.ROOT,
          "done in %.1f s: %d records produced, %d windows, %d records consumed by group \"%s\","
              + " lag %d. Try: ./sluice info demo, ./sluice tail demo --max 3%n",
          (System.nanoTime() - started) / 1e9,
          records,
          consumed.windows,
          consumed.records,
          GROUP,
          g.lag());
    }
    return 0;
  }

  /** What the consumer has seen; the main thread waits on it. */
  private static final class Consumed {
    long windows;
    long records;
    long lastOffset = -1;

    void window(Window<Map<String, Object>> w, PrintWriter out) {
      double sum = 0;
      Map<Object, Integer> sensors = new LinkedHashMap<>();
      for (Map<String, Object> v : w.data()) {
        sum += ((Number) v.get("reading")).doubleValue();
        sensors.merge(v.get("sensor"), 1, Integer::sum);
      }
      synchronized (out) {
        out.printf(
            Locale.ROOT,
            "consumer  window %-12s offsets %6d..%-6d %4d records  mean reading %.2f  %s%n",
            w.id(),
            w.firstOffset(),
            w.lastOffset(),
            w.size(),
            w.size() == 0 ? 0 : sum / w.size(),
            sensors);
        out.flush();
      }
      synchronized (this) {
        windows++;
        records += w.size();
        lastOffset = Math.max(lastOffset, w.lastOffset());
        notifyAll();
      }
    }

    /** Waits until a window ending at or past {@code offset} was handled and committed. */
    boolean awaitPast(long offset, StreamingJob job) throws InterruptedException {
      long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
      synchronized (this) {
        while (lastOffset < offset && job.isRunning()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          wait(Math.min(200, left / 1_000_000 + 1));
        }
        return lastOffset >= offset;
      }
      // closing the job (by the caller) lets the last window's commit finish first
    }
  }

  /** Appends the demo's records in atomic batches, with a progress line every half second. */
  private final class Producer implements Runnable {
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicLong appended = new AtomicLong();
    private final EventStream<Map<String, Object>> stream;
    private final PrintWriter out;

    Producer(EventStream<Map<String, Object>> stream, PrintWriter out) {
      this.stream = stream;
      this.out = out;
    }

    @Override
    public void run() {
      try {
        long lastProgress = System.nanoTime();
        for (int i = 0; i < records; ) {
          List<Map<String, Object>> values = new ArrayList<>(batch);
          for (int end = Math.min(records, i + batch); i < end; i++) {
            values.add(value(i));
          }
          long first = stream.appendAll(values);
          long done = appended.addAndGet(values.size());
          long now = System.nanoTime();
          if (now - lastProgress >= PROGRESS_EVERY.toNanos() || done == records) {
            lastProgress = now;
            synchronized (out) {
              out.printf(
                  "producer  %s %5d/%d records appended (last offset %d)%n",
                  bar(done), done, records, first + values.size() - 1);
              out.flush();
            }
          }
          if (!interval.isZero()) {
            Thread.sleep(interval.toMillis());
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    private String bar(long done) {
      int width = 20;
      int filled = (int) (done * width / records);
      return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    private Map<String, Object> value(int i) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("n", i);
      value.put("sensor", "s" + (i % 3));
      value.put("reading", Math.round((20 + 5 * Math.sin(i / 30.0)) * 100) / 100.0);
      value.put("at", Instant.now().toString());
      return value;
    }
  }
}
