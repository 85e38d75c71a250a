package dev.sluice.reliability;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.SyncMode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A producer process of the crash test: appends batches of records {@code {p: id, s: seq, x:
 * poison}} until its standard input closes. Around each batch it writes to its ledger {@code B
 * first last} (about to append) and, only after {@code append}/{@code appendAll} returned, {@code A
 * first last} (acknowledged). Each line is one unbuffered write, so it is in the OS when the next
 * batch starts, whatever kills this process.
 *
 * <p>Arguments: url, sync mode, stream, producer id, max batch, pause millis, ledger file, poison
 * per mille, seed.
 */
public final class LedgerProducerMain {
  private LedgerProducerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    SyncMode sync = SyncMode.valueOf(args[1]);
    String stream = args[2];
    int id = Integer.parseInt(args[3]);
    int maxBatch = Integer.parseInt(args[4]);
    long pause = Long.parseLong(args[5]);
    String ledgerFile = args[6];
    int poisonPerMille = Integer.parseInt(args[7]);
    Random rnd = new Random(Long.parseLong(args[8]));
    Thread watcher = new Thread(LedgerProducerMain::awaitStdinClosed, "stdin");
    watcher.setDaemon(true);
    watcher.start();
    try (Store store = Sluice.open(url, StoreOptions.defaults().sync(sync));
        FileOutputStream ledger = new FileOutputStream(ledgerFile, true)) {
      EventStream<Map<String, Object>> s = store.stream(stream);
      long seq = 0;
      while (watcher.isAlive()) {
        int n = 1 + rnd.nextInt(maxBatch);
        List<Map<String, Object>> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          boolean poison = rnd.nextInt(1000) < poisonPerMille;
          batch.add(Map.of("p", id, "s", seq + i, "x", poison ? 1 : 0));
        }
        String range = seq + " " + (seq + n - 1) + "\n";
        write(ledger, "B " + range);
        if (n == 1) {
          s.append(batch.get(0));
        } else {
          s.appendAll(batch);
        }
        write(ledger, "A " + range);
        seq += n;
        if (pause > 0) {
          Thread.sleep(pause);
        }
      }
      System.out.println("producer " + id + " done at " + seq);
    }
  }

  private static void write(FileOutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    out.flush();
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
