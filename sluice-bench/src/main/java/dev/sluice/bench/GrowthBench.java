package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Cost as the work grows (issue 18 item 4): each scenario is a curve measured in one run, drawn
 * with {@link Charts#lines} into {@code docs/bench/growth-*.png}.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar growth SCENARIO [--full]} where
 * SCENARIO is {@code records} (one stream grows), {@code streams} (1 → 10,000 streams), {@code
 * groups} (1 → 100 consumer groups), {@code processes} (1 → 8 consumer processes of one group),
 * {@code recordsize} (100 B → 1 MB), {@code disk} (bytes per record, and what retention gives
 * back), or {@code all}. Without {@code --full} each finishes in a few minutes on a smaller scale;
 * {@code --full} reaches 50 M records, 10,000 streams, 100 groups, 8 processes and 1 MB records.
 * Every store lives under {@code java.io.tmpdir} and is deleted at the end.
 */
public final class GrowthBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int RUNS = 5;

  private GrowthBench() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean full = rest.remove("--full");
    String scenario = rest.isEmpty() ? "all" : rest.get(0);
    List<String> all = List.of("records", "streams", "groups", "processes", "recordsize", "disk");
    if (!scenario.equals("all") && !all.contains(scenario)) {
      System.err.println("usage: growth [" + String.join("|", all) + "|all] [--full]");
      System.exit(2);
    }
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    for (String s : scenario.equals("all") ? all : List.of(scenario)) {
      Path dir = Files.createTempDirectory("sluice-growth-" + s);
      try {
        System.out.println();
        System.out.println("== growth " + s + (full ? " --full" : "") + " ==");
        System.out.println("load before: " + Measure.load());
        switch (s) {
          case "records" -> records(dir, full);
          case "streams" -> streams(dir, full);
          case "groups" -> GrowthConsumers.groups(dir, full);
          case "processes" -> GrowthConsumers.processes(dir, full);
          case "recordsize" -> recordSize(dir, full);
          default -> disk(dir, full);
        }
        System.out.println("load after: " + Measure.load());
      } finally {
        deleteTree(dir);
      }
    }
  }

  // ------------------------------------------------------------------ shared helpers

  /** 1,000 distinct JSON objects of ~98 bytes, pre-encoded (the payload of AppendBench). */
  static List<byte[]> payloads() throws Exception {
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      encoded.add(JSON.writeValueAsBytes(ConsumerBench.payload(i)));
    }
    return encoded;
  }

  static double averageLength(List<byte[]> payloads) {
    return payloads.stream().mapToInt(b -> b.length).average().orElse(0);
  }

  static Store open(Path dir) {
    return Sluice.open("sqlite:" + dir, StoreOptions.defaults().sync(SyncMode.NORMAL));
  }

  static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The database and WAL files' bytes. */
  static long fileBytes(Path dir) throws Exception {
    return size(dir.resolve("sluice.db")) + size(dir.resolve("sluice.db-wal"));
  }

  private static long size(Path file) throws Exception {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** Page size, page count and free pages of the store's database, read on a side connection. */
  record Pages(long pageSize, long pageCount, long free) {
    long usedBytes() {
      return pageSize * (pageCount - free);
    }

    long freeBytes() {
      return pageSize * free;
    }
  }

  static Pages pages(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT page_size FROM pragma_page_size),"
                    + " (SELECT page_count FROM pragma_page_count),"
                    + " (SELECT freelist_count FROM pragma_freelist_count)")) {
      rs.next();
      return new Pages(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  static Connection side(Path dir) throws Exception {
    Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve("sluice.db"), Measure.sqliteProperties());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
    }
    return c;
  }

  /**
   * Times {@code count} reads of 100 records at random offsets of random streams; returns the
   * sorted nanoseconds.
   */
  static long[] timeReads(List<EventStream<byte[]>> streams, int count, SplittableRandom rnd) {
    long[] t = new long[count];
    for (int i = 0; i < count; i++) {
      EventStream<byte[]> s = streams.get(rnd.nextInt(streams.size()));
      long first = s.metadata().firstOffset();
      long next = s.metadata().nextOffset();
      long from = first + rnd.nextLong(Math.max(1, next - first - 100));
      long t0 = System.nanoTime();
      List<Record<byte[]>> got = s.read(from, 100);
      t[i] = System.nanoTime() - t0;
      if (got.size() != Math.min(100, next - from)) {
        throw new IllegalStateException(
            "read(" + from + ", 100) of " + s.name() + " returned " + got.size() + " records");
      }
    }
    Arrays.sort(t);
    return t;
  }

  /**
   * 100 warm-up reads, then {@link #RUNS} runs of 200 reads of 100 records at random offsets, each
   * followed by 200 timings of the control; returns the medians over the runs of p50, p90 and p99
   * of the reads, and p50 and p99 of the control, in µs.
   */
  static double[] readStats(List<EventStream<byte[]>> streams, SplittableRandom rnd) {
    long[] warm = timeReads(streams, 100, rnd);
    // Calibrate the control to last as long as a median read, so both are as exposed to the
    // scheduler of the shared machine.
    control(2_000, 1); // compiled before it is calibrated
    long[] one = control(50, 1);
    int repeat =
        (int)
            Math.max(
                1,
                Math.round(
                    (double) Measure.percentile(warm, 0.5)
                        / Math.max(1, Measure.percentile(one, 0.5))));
    List<Double> p50 = new ArrayList<>();
    List<Double> p90 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> c50 = new ArrayList<>();
    List<Double> c99 = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      long[] t = timeReads(streams, 200, rnd);
      p50.add(micros(Measure.percentile(t, 0.50)));
      p90.add(micros(Measure.percentile(t, 0.90)));
      p99.add(micros(Measure.percentile(t, 0.99)));
      long[] c = control(200, repeat);
      c50.add(micros(Measure.percentile(c, 0.50)));
      c99.add(micros(Measure.percentile(c, 0.99)));
    }
    return new double[] {
      Measure.median(p50),
      Measure.median(p90),
      Measure.median(p99),
      Measure.median(c50),
      Measure.median(c99)
    };
  }

  private static final byte[] CONTROL_DATA = new byte[16 << 10];
  private static long controlSink;

  /**
   * The control for read latency: {@code count} timings of a fixed piece of CPU work (summing 16 KB
   * {@code repeat} times) on the same thread, so a p99 caused by the scheduler of the shared
   * machine shows up here too. Returns the sorted nanoseconds.
   */
  static long[] control(int count, int repeat) {
    long[] t = new long[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      long sum = 0;
      for (int r = 0; r < repeat; r++) {
        for (byte b : CONTROL_DATA) {
          sum += b ^ i;
        }
      }
      controlSink += sum;
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return t;
  }

  static double micros(long nanos) {
    return nanos / 1e3;
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Prints a Markdown table: a blank line, the header row, the alignment row, the rows. */
  static void table(String header, String alignment, List<String> rows) {
    System.out.println();
    System.out.println(header);
    System.out.println(alignment);
    rows.forEach(System.out::println);
  }

  static void point(Map<String, List<double[]>> series, String name, double x, double y) {
    series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, y});
  }

  // ------------------------------------------------------------------ one stream grows

  private static void records(Path dir, boolean full) throws Exception {
    long[] checkpoints =
        full
            ? new long[] {1_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000}
            : new long[] {500_000, 1_000_000, 2_000_000, 5_000_000};
    int slice = full ? 1_000_000 : 250_000;
    List<byte[]> payload = payloads();
    System.out.printf(
        Locale.ROOT,
        "records: one stream grows to %,d records; appendAll of pre-encoded bytes (Codecs.bytes,"
            + " %.0f-byte JSON, 1,000 distinct), batches of 1,000, 1 thread, sync NORMAL; append"
            + " rate per slice of %,d records; at each checkpoint %d runs of 200 reads of 100"
            + " records at random offsets (after 100 warm-up reads) and the file size; one long"
            + " run, no separate warm-up besides the first slice%n",
        checkpoints[checkpoints.length - 1],
        averageLength(payload),
        slice,
        RUNS);
    Map<String, List<double[]>> rate = new LinkedHashMap<>();
    Map<String, List<double[]>> reads = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(42);
    try (Store store = open(dir);
        Connection side = side(dir)) {
      EventStream<byte[]> s = store.stream("grow", Codecs.bytes());
      List<Double> slices = new ArrayList<>();
      long done = 0;
      double firstRate = 0;
      double firstP50 = 0;
      for (long checkpoint : checkpoints) {
        while (done < checkpoint) {
          long start = System.nanoTime();
          for (int i = 0; i < slice; i += 1000) {
            s.appendAll(payload);
          }
          double r = slice / ((System.nanoTime() - start) / 1e9);
          done += slice;
          slices.add(r);
          point(rate, "append records/s per slice", done / 1e6, r);
        }
        List<Double> last5 = slices.subList(Math.max(0, slices.size() - RUNS), slices.size());
        double medRate = Measure.median(last5);
        double[] rs = readStats(List.of(s), rnd);
        double m50 = rs[0];
        double m90 = rs[1];
        double m99 = rs[2];
        if (firstRate == 0) {
          firstRate = medRate;
          firstP50 = m50;
        }
        point(reads, "read 100 records p50 µs", done / 1e6, m50);
        point(reads, "read 100 records p90 µs", done / 1e6, m90);
        Pages pages = pages(side);
        String row =
            f(
                "| %,d | %s (%.2f) | %.0f (%.2f) | %.0f | %.0f | %.0f / %.0f | %.1f | %.1f | %s |",
                done,
                Measure.rate(medRate),
                medRate / firstRate,
                m50,
                m50 / firstP50,
                m90,
                m99,
                rs[3],
                rs[4],
                fileBytes(dir) / (double) done,
                pages.usedBytes() / (double) done,
                Measure.load());
        System.out.println(row);
        rows.add(row);
      }
    }
    table(
        "| records in the stream | append records/s, median of the last 5 slices (ratio to the"
            + " first checkpoint) | read 100 records p50 µs (ratio) | p90 µs | p99 µs | control p50 /"
            + " p99 µs | file bytes/record | used-page bytes/record | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        rows);
    Charts.lines(
        "growth-records-append",
        "Append rate as one stream grows (appendAll 1,000 × 98 B, 1 thread)",
        "records in the stream (millions)",
        "records/s",
        false,
        rate);
    Charts.lines(
        "growth-records-read",
        "Read 100 records at a random offset as one stream grows",
        "records in the stream (millions)",
        "µs per read of 100 records",
        false,
        reads);
  }

  // ------------------------------------------------------------------ many streams

  private static void streams(Path dir, boolean full) throws Exception {
    int[] checkpoints = full ? new int[] {1, 10, 100, 1000, 10_000} : new int[] {1, 10, 100, 1000};
    int perStream = 100;
    int appendRecords = 100_000;
    List<byte[]> payload = payloads();
    List<byte[]> batch = payload.subList(0, 100);
    System.out.printf(
        Locale.ROOT,
        "streams: 1 → %,d streams in one store, each created with %d records; at each count: %d"
            + " runs (after 1 warm-up) of appending %,d records as appendAll batches of 100, one"
            + " batch per stream in turn (round robin over all streams); open + streams() after"
            + " close; 200 reads of 100 records from a random stream at a random offset;"
            + " pre-encoded %.0f-byte JSON, sync NORMAL, 1 thread%n",
        checkpoints[checkpoints.length - 1],
        perStream,
        RUNS,
        appendRecords,
        averageLength(payload));
    Map<String, List<double[]>> rate = new LinkedHashMap<>();
    Map<String, List<double[]>> times = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(7);
    List<String> names = new ArrayList<>();
    double firstRate = 0;
    double firstOpen = 0;
    double firstRead = 0;
    Store store = open(dir);
    try {
      for (int n : checkpoints) {
        long createStart = System.nanoTime();
        int before = names.size();
        while (names.size() < n) {
          String name = f("s%05d", names.size());
          store.stream(name, Codecs.bytes()).appendAll(batch);
          names.add(name);
        }
        double createMs = (System.nanoTime() - createStart) / 1e6 / Math.max(1, n - before);
        List<EventStream<byte[]>> handles = new ArrayList<>();
        for (String name : names) {
          handles.add(store.stream(name, Codecs.bytes()));
        }
        List<Double> rates = new ArrayList<>();
        int next = 0;
        for (int run = 0; run <= RUNS; run++) {
          long start = System.nanoTime();
          for (int done = 0; done < appendRecords; done += batch.size()) {
            handles.get(next++ % handles.size()).appendAll(batch);
          }
          double r = appendRecords / ((System.nanoTime() - start) / 1e9);
          if (run > 0) {
            rates.add(r);
          }
        }
        List<Double> opens = new ArrayList<>();
        for (int run = 0; run <= RUNS; run++) {
          store.close();
          long t0 = System.nanoTime();
          store = open(dir);
          int listed = store.streams().size();
          double ms = (System.nanoTime() - t0) / 1e6;
          if (listed != n) {
            throw new IllegalStateException("streams() listed " + listed + " of " + n);
          }
          if (run > 0) {
            opens.add(ms);
          }
        }
        handles.clear();
        for (String name : names) {
          handles.add(store.stream(name, Codecs.bytes()));
        }
        double[] rs = readStats(handles, rnd);
        double mRate = Measure.median(rates);
        double mOpen = Measure.median(opens);
        double m50 = rs[0];
        double m99 = rs[2];
        if (firstRate == 0) {
          firstRate = mRate;
          firstOpen = mOpen;
          firstRead = m50;
        }
        point(rate, "append records/s (appendAll of 100, round robin)", n, mRate);
        point(times, "open + streams() ms", n, mOpen);
        point(times, "read 100 records p50 ms", n, m50 / 1e3);
        point(times, "read 100 records p90 ms", n, rs[1] / 1e3);
        String row =
            f(
                "| %,d | %s (%.2f) | %.1f (%.2f) | %.0f (%.2f) | %.0f | %.0f | %.0f / %.0f | %.2f | %s |"
                    + " %s |",
                n,
                Measure.rate(mRate),
                mRate / firstRate,
                mOpen,
                mOpen / firstOpen,
                m50,
                m50 / firstRead,
                rs[1],
                m99,
                rs[3],
                rs[4],
                createMs,
                String.join(" ", rates.stream().map(Measure::rate).toList()),
                Measure.load());
        System.out.println(row);
        rows.add(row);
      }
    } finally {
      store.close();
    }
    table(
        "| streams | append records/s (ratio to 1 stream) | open + streams() ms (ratio) | read 100"
            + " records p50 µs (ratio) | p90 µs | p99 µs | control p50 / p99 µs | ms to create one more"
            + " stream (first appendAll) | append runs | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        rows);
    Charts.lines(
        "growth-streams-append",
        "Append rate with 1 → N streams in one store",
        "streams in the store (log)",
        "records/s",
        true,
        rate);
    Charts.lines(
        "growth-streams-times",
        "Open + list and read latency with 1 → N streams in one store",
        "streams in the store (log)",
        "milliseconds",
        true,
        times);
  }

  // ------------------------------------------------------------------ record size

  private static void recordSize(Path dir, boolean full) throws Exception {
    // 960 and 1,000 straddle the largest value SQLite keeps inside a 4 KB page of an index b-tree
    // (a WITHOUT ROWID table is one); 2,000 and 4,000 show the overflow page that follows.
    int[] sizes = {100, 500, 960, 1_000, 2_000, 4_000, 10_000, 100_000, 1_000_000};
    long volume = full ? 256L << 20 : 32L << 20;
    System.out.printf(
        Locale.ROOT,
        "recordsize: 100 B → 1 MB records of random bytes (sizes %s, Codecs.bytes); per size 1"
            + " warm-up + %d"
            + " runs, each appending %,d MB into a fresh stream with appendAll batches of"
            + " min(1,000, 1 MB / size) records, 1 thread, sync NORMAL; each run in a fresh store,"
            + " deleted after it; file bytes = sluice.db (+ WAL if left) after close%n",
        Arrays.toString(sizes),
        RUNS,
        volume >> 20);
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    Map<String, List<double[]>> amplification = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(3);
    double firstMb = 0;
    int counter = 0;
    for (int size : sizes) {
      int perBatch = Math.max(1, Math.min(1000, (1 << 20) / size));
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < perBatch; i++) {
        byte[] b = new byte[size];
        for (int j = 0; j < size; j++) {
          b[j] = (byte) rnd.nextInt(256);
        }
        batch.add(b);
      }
      long records = Math.max(perBatch, volume / size / perBatch * perBatch);
      List<Double> rates = new ArrayList<>();
      List<Double> onDisk = new ArrayList<>();
      for (int run = 0; run <= RUNS; run++) {
        Path runDir = dir.resolve("run-" + counter++);
        double r;
        try (Store store = open(runDir)) {
          EventStream<byte[]> s = store.stream("sized", Codecs.bytes());
          long start = System.nanoTime();
          for (long done = 0; done < records; done += perBatch) {
            s.appendAll(batch);
          }
          r = records / ((System.nanoTime() - start) / 1e9);
        }
        onDisk.add(fileBytes(runDir) / (double) records);
        deleteTree(runDir);
        if (run > 0) {
          rates.add(r);
        }
      }
      double m = Measure.median(rates);
      double mb = m * size / (1 << 20);
      if (firstMb == 0) {
        firstMb = mb;
      }
      point(series, "MB/s", size, mb);
      point(series, "thousand records/s", size, m / 1e3);
      double disk = Measure.median(onDisk);
      point(amplification, "file bytes per payload byte", size, disk / size);
      String row =
          f(
              "| %,d | %d | %s | %.1f (%.2f) | %,.0f (%.2f×) | %s | %s |",
              size,
              perBatch,
              Measure.rate(m),
              mb,
              mb / firstMb,
              disk,
              disk / size,
              String.join(" ", rates.stream().map(Measure::rate).toList()),
              Measure.load());
      System.out.println(row);
      rows.add(row);
    }
    table(
        "| record bytes | records per appendAll | records/s (median of 5) | MB/s (ratio to 100 B)"
            + " | file bytes per record after close (× payload) | runs (records/s) | load |",
        "|---:|---:|---:|---:|---:|---|---|",
        rows);
    Charts.lines(
        "growth-recordsize",
        "Append rate by record size (appendAll, 1 thread, sync NORMAL)",
        "record size, bytes (log)",
        "MB/s and thousand records/s",
        true,
        series);
    Charts.lines(
        "growth-recordsize-disk",
        "File bytes per payload byte by record size (after close)",
        "record size, bytes (log)",
        "file bytes / payload bytes",
        true,
        amplification);
  }

  // ------------------------------------------------------------------ bytes on disk, retention

  private static void disk(Path dir, boolean full) throws Exception {
    long records = full ? 10_000_000 : 1_000_000;
    long keep = records / 10;
    List<byte[]> payload = payloads();
    double avg = averageLength(payload);
    System.out.printf(
        Locale.ROOT,
        "disk: appends %,d records of %.0f-byte JSON (pre-encoded, appendAll of 1,000) to one"
            + " stream, measuring file bytes (db + WAL) and used pages per record every tenth;"
            + " then sets Retention.count(%,d) and samples the sizes every 250 ms while"
            + " maintenance deletes; then appends %,d records again (do the freed pages get"
            + " reused?); then clear() and waits for the purge; sync NORMAL%n",
        records,
        avg,
        keep,
        records - keep);
    Map<String, List<double[]>> perRecord = new LinkedHashMap<>();
    Map<String, List<double[]>> overTime = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    try (Store store = open(dir);
        Connection side = side(dir)) {
      EventStream<byte[]> s = store.stream("disk", Codecs.bytes());
      long step = records / 10;
      for (long done = 0; done < records; ) {
        for (long i = 0; i < step; i += 1000) {
          s.appendAll(payload);
        }
        done += step;
        Pages p = pages(side);
        point(perRecord, "file bytes per record", done / 1e6, fileBytes(dir) / (double) done);
        point(perRecord, "used-page bytes per record", done / 1e6, p.usedBytes() / (double) done);
        point(perRecord, "payload bytes per record", done / 1e6, avg);
      }
      long t0 = System.nanoTime();
      rows.add(sizes("after appending " + f("%,d", records), dir, side, s, t0, overTime));
      s.retention(Retention.count(keep));
      while (s.metadata().firstOffset() < records - keep) {
        sample(dir, side, t0, overTime);
        Thread.sleep(250);
      }
      rows.add(sizes("retention count(" + f("%,d", keep) + ") done", dir, side, s, t0, overTime));
      s.retention(Retention.forever());
      for (long i = 0; i < records - keep; i += 1000) {
        s.appendAll(payload);
        if (i % 100_000 == 0) {
          sample(dir, side, t0, overTime);
        }
      }
      rows.add(sizes("appended " + f("%,d", records - keep) + " more", dir, side, s, t0, overTime));
      s.clear();
      do {
        sample(dir, side, t0, overTime);
        Thread.sleep(1_000);
      } while (!PurgeBench.purged(side));
      rows.add(sizes("clear() and purge done", dir, side, s, t0, overTime));
    }
    table(
        "| phase | at s | records held | file MB (db + WAL) | used MB | free-page MB | file bytes"
            + " per held record | used bytes per held record |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        rows);
    Charts.lines(
        "growth-disk-per-record",
        f("Bytes on disk per record (%.0f-byte JSON payload)", avg),
        "records in the stream (millions)",
        "bytes per record",
        false,
        perRecord);
    Charts.lines(
        "growth-disk-retention",
        "Store size: fill, Retention.count, refill, clear()",
        "seconds since the fill ended",
        "MB",
        false,
        overTime);
  }

  private static void sample(
      Path dir, Connection side, long t0, Map<String, List<double[]>> overTime) throws Exception {
    double at = (System.nanoTime() - t0) / 1e9;
    Pages p = pages(side);
    point(overTime, "file MB (db + WAL)", at, fileBytes(dir) / 1048576.0);
    point(overTime, "used MB", at, p.usedBytes() / 1048576.0);
    point(overTime, "free-page MB", at, p.freeBytes() / 1048576.0);
  }

  private static String sizes(
      String phase,
      Path dir,
      Connection side,
      EventStream<byte[]> s,
      long t0,
      Map<String, List<double[]>> overTime)
      throws Exception {
    sample(dir, side, t0, overTime);
    Pages p = pages(side);
    long held = s.metadata().recordCount();
    long file = fileBytes(dir);
    String row =
        f(
            "| %s | %.1f | %,d | %.1f (%.1f + %.1f) | %.1f | %.1f | %s | %s |",
            phase,
            (System.nanoTime() - t0) / 1e9,
            held,
            file / 1048576.0,
            size(dir.resolve("sluice.db")) / 1048576.0,
            size(dir.resolve("sluice.db-wal")) / 1048576.0,
            p.usedBytes() / 1048576.0,
            p.freeBytes() / 1048576.0,
            held == 0 ? "–" : f("%.1f", file / (double) held),
            held == 0 ? "–" : f("%.1f", p.usedBytes() / (double) held));
    System.out.println(row + " load " + Measure.load());
    return row;
  }
}
