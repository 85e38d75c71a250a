package dev.sluice.reliability;

import dev.sluice.Delivery;
import dev.sluice.Record;
import dev.sluice.Retry;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.SyncMode;
import dev.sluice.Window;
import dev.sluice.Windows;
import dev.sluice.spi.Sink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A consumer process of the crash test, one of a group. For every window (and every
 * record-by-record retry of a failing one) it first writes {@code S window attempt phase millis} to
 * its own file (phase {@code W} for a whole window, {@code D} for the record-by-record retries
 * before dead letters), then sleeps a few milliseconds, so that kills land inside handlers. A
 * window holding a poison record ({@code x = 1}) fails; after its retries the poison records are
 * dead-lettered.
 *
 * <p>Results, one per window: with {@code alo} a plain sink appends {@code R window attempt phase
 * p:s p:s …} to the file and forces it to disk before returning, so the window is committed only
 * after its records are in the file; with {@code eo} {@link Sinks#table} inserts rows (producer,
 * seq, window, attempt) into table {@code ledger} of the store, inside the commit's transaction.
 *
 * <p>Runs until its standard input closes, then stops gracefully. Arguments: url, sync mode,
 * stream, group, workers, window size, alo|eo, file, min delay millis, max delay millis.
 */
public final class LedgerConsumerMain {
  static final String TABLE =
      "CREATE TABLE IF NOT EXISTS ledger(producer INTEGER NOT NULL, seq INTEGER NOT NULL,"
          + " win TEXT NOT NULL, attempt INTEGER NOT NULL)";
  static final String INSERT =
      "INSERT INTO ledger(producer, seq, win, attempt)"
          + " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?, ?"
          + " FROM json_each(?)";

  /** The ledger table in a PostgreSQL store: {@code id} keeps the insertion order. */
  static final String PG_TABLE =
      "CREATE TABLE IF NOT EXISTS ledger(id bigserial PRIMARY KEY, producer int NOT NULL,"
          + " seq int NOT NULL, win text NOT NULL, attempt int NOT NULL)";

  static final String PG_INSERT =
      "INSERT INTO ledger(producer, seq, win, attempt)"
          + " SELECT (e->>0)::int, (e->>1)::int, ?, ? FROM jsonb_array_elements(?::jsonb)"
          + " WITH ORDINALITY AS a(e, i) ORDER BY i";

  private LedgerConsumerMain() {}

  /** One window's result: its records as (producer, seq) in window order. */
  record Out(String window, int attempt, String phase, long[] producers, long[] seqs) {
    String pairs(String sep, String open, String close, String join) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < seqs.length; i++) {
        if (i > 0) {
          b.append(sep);
        }
        b.append(open).append(producers[i]).append(join).append(seqs[i]).append(close);
      }
      return b.toString();
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    SyncMode sync = SyncMode.valueOf(args[1]);
    String stream = args[2];
    String group = args[3];
    int workers = Integer.parseInt(args[4]);
    int size = Integer.parseInt(args[5]);
    boolean exactlyOnce = args[6].equals("eo");
    Path file = Path.of(args[7]);
    int minDelay = Integer.parseInt(args[8]);
    int maxDelay = Integer.parseInt(args[9]);
    try (Store store = Sluice.open(url, StoreOptions.defaults().sync(sync));
        FileChannel out =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
      Streaming<Map<String, Object>> streaming =
          store
              .streaming(stream)
              .group(group)
              .window(Windows.count(size).orAfter(Duration.ofMillis(200)))
              .workers(workers)
              .retry(Retry.times(2).backoff(Duration.ofMillis(10)))
              .lease(Duration.ofSeconds(60))
              .delivery(exactlyOnce ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE);
      Sink<Out> sink;
      if (exactlyOnce) {
        sink =
            Sinks.table(
                store,
                url.startsWith("postgres") ? PG_TABLE : TABLE,
                url.startsWith("postgres") ? PG_INSERT : INSERT,
                (ps, o) -> {
                  ps.setString(1, o.window());
                  ps.setInt(2, o.attempt());
                  ps.setString(3, "[" + o.pairs(",", "[", "]", ",") + "]");
                });
      } else {
        sink =
            o -> {
              String line =
                  "R "
                      + o.window()
                      + " "
                      + o.attempt()
                      + " "
                      + o.phase()
                      + " "
                      + o.pairs(" ", "", "", ":")
                      + "\n";
              write(out, line);
              out.force(false);
            };
      }
      StreamingJob job =
          streaming
              .process((Window<Map<String, Object>> w) -> handle(w, out, minDelay, maxDelay))
              .sink(sink)
              .start();
      System.out.println("consumer started");
      Thread watcher =
          new Thread(
              () -> {
                awaitStdinClosed();
                job.stop();
              },
              "stdin");
      watcher.setDaemon(true);
      watcher.start();
      job.awaitTermination();
      if (job.failure().isPresent()) {
        System.out.println("consumer failed: " + job.failure().get());
        job.failure().get().printStackTrace(System.out);
        System.exit(2);
      }
      System.out.println("consumer stopped: " + job.metrics());
    }
  }

  private static Out handle(Window<Map<String, Object>> w, FileChannel out, int min, int max)
      throws Exception {
    boolean oneByOne = w.size() < w.lastOffset() - w.firstOffset() + 1;
    String phase = oneByOne ? "D" : "W";
    write(
        out,
        "S " + w.id() + " " + w.attempt() + " " + phase + " " + System.currentTimeMillis() + "\n");
    int delay = oneByOne ? 3 : ThreadLocalRandom.current().nextInt(min, max + 1);
    Thread.sleep(delay);
    long[] producers = new long[w.size()];
    long[] seqs = new long[w.size()];
    int i = 0;
    for (Record<Map<String, Object>> r : w.records()) {
      Map<String, Object> v = r.value();
      producers[i] = ((Number) v.get("p")).longValue();
      seqs[i] = ((Number) v.get("s")).longValue();
      if (((Number) v.get("x")).intValue() == 1) {
        throw new IllegalStateException("poison record " + producers[i] + ":" + seqs[i]);
      }
      i++;
    }
    return new Out(w.id(), w.attempt(), phase, producers, seqs);
  }

  static void write(FileChannel out, String line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static void awaitStdinClosed() {
    try {
      while (System.in.read() >= 0) {
        // the parent closes our input to stop us
      }
    } catch (IOException e) {
      // treated as closed
    }
  }
}
