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
      "Show Sluice working: a producer and a windowed consumer on the stream 'demo'.",
      "The producer appends while a consumer (group 'demo', windows of --window records, or"
          + " fewer after 500 ms) prints each window as it closes. Ends by itself with a summary"
          + " once the consumer has caught up. One demo runs at a time on a store."
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
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--records, --batch and --window must be at least 1: "
              + records
              + ", "
              + batch
              + ", "
              + window);
    }
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    try (Store s = store.open();
        Exclusive exclusive = Exclusive.take(s)) {
      if (exclusive == null) {
        spec.commandLine()
            .getErr()
            .println(
                "sluice: another demo is running on "
                    + s.url()
                    + "; wait for it to end, or give this one its own store: --store"
                    + " sqlite:./demo-data");
        return Main.FAILED;
      }
      EventStream<Map<String, Object>> stream = s.stream("demo");
      long from = stream.metadata().nextOffset();
      out.printf(
          "Sluice demo: store %s, stream \"demo\" (%d %s already there)%n"
              + "a producer appends %d %s in batches of %d while group \"%s\" consumes"
              + " windows of %d%n"
              + "each window line: its id (group/partition/sequence), offsets, size, the mean"
              + " reading, and how many records came from each sensor (s0=34: 34 from s0)%n",
          s.url(),
          stream.metadata().recordCount(),
          plural(stream.metadata().recordCount(), "record"),
          records,
          plural(records, "record"),
          batch,
          GROUP,
          window);
      out.flush();
      Consumed consumed = new Consumed(from);
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
          "done in %.1f s: %d %s produced, %d %s, %d %s consumed by group \"%s\", lag %d.%s%s%n",
          (System.nanoTime() - started) / 1e9,
          records,
          plural(records, "record"),
          consumed.windows,
          plural(consumed.windows, "window"),
          consumed.records,
          plural(consumed.records, "record"),
          GROUP,
          g.lag(),
          consumed.leftOver == 0
              ? ""
              : " The group also consumed "
                  + consumed.leftOver
                  + " "
                  + plural(consumed.leftOver, "record")
                  + " an earlier, interrupted demo had left.",
          s.url().startsWith("mem:")
              ? " (A mem: store ends with the demo; with a sqlite: store you could look at it.)"
              : " Try: ./sluice info demo, ./sluice tail demo --max 3");
    }
    return 0;
  }

  private static String plural(long n, String noun) {
    return n == 1 ? noun : noun + "s";
  }

  /**
   * One demo at a time on a store: two would consume each other's records and wait for records the
   * other one took.
   */
  private static final class Exclusive implements AutoCloseable {
    private static final java.util.Set<String> RUNNING =
        java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final String url;
    private final java.nio.channels.FileChannel channel;

    private Exclusive(String url, java.nio.channels.FileChannel channel) {
      this.url = url;
      this.channel = channel;
    }

    /** Takes the store's demo lock, or returns null if another demo holds it. */
    static Exclusive take(Store s) throws java.io.IOException {
      if (!RUNNING.add(s.url())) {
        return null;
      }
      if (!s.url().startsWith("sqlite:")) {
        return new Exclusive(s.url(), null); // other processes cannot share this store
      }
      java.nio.file.Path file =
          java.nio.file.Path.of(s.url().substring("sqlite:".length())).resolve("demo.lock");
      java.nio.channels.FileChannel channel =
          java.nio.channels.FileChannel.open(
              file,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        channel.close();
        RUNNING.remove(s.url());
        return null;
      }
      return new Exclusive(s.url(), channel);
    }

    @Override
    public void close() throws java.io.IOException {
      if (channel != null) {
        channel.close();
      }
      RUNNING.remove(url);
    }
  }

  /** What the consumer has seen; the main thread waits on it. */
  private static final class Consumed {
    private final long from;
    long windows;
    long records;
    long leftOver;
    long lastOffset = -1;

    Consumed(long from) {
      this.from = from;
    }

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
            "consumer  window %-12s offsets %6d..%-6d %4d %-7s  mean reading %.2f  per sensor %s%n",
            w.id(),
            w.firstOffset(),
            w.lastOffset(),
            w.size(),
            plural(w.size(), "record"),
            w.size() == 0 ? 0 : sum / w.size(),
            sensors);
        out.flush();
      }
      synchronized (this) {
        long old = Math.max(0, Math.min(w.size(), from - w.firstOffset()));
        windows++;
        records += w.size() - old;
        leftOver += old;
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
                  "producer  %s %5d/%d %s appended (last offset %d)%n",
                  bar(done), done, records, plural(records, "record"), first + values.size() - 1);
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
