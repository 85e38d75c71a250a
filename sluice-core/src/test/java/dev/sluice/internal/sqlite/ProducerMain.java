package dev.sluice.internal.sqlite;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreContractTest.Tick;
import java.util.concurrent.CompletableFuture;

/** A producer process: appends COUNT ticks of producer ID to STREAM in the store at URL. */
public final class ProducerMain {
  private ProducerMain() {}

  public static void main(String[] args) {
    String url = args[0];
    String stream = args[1];
    int id = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    try (Store store = Sluice.open(url)) {
      EventStream<Tick> s = store.stream(stream, Tick.class);
      CompletableFuture<Long> last = null;
      for (int i = 0; i < count; i++) {
        // Every thousandth append waits, so the processes interleave in small and large batches.
        if (i % 1000 == 0) {
          s.append(new Tick(id, i));
        } else {
          last = s.appendAsync(new Tick(id, i));
        }
      }
      if (last != null) {
        last.join();
      }
    }
    System.out.println("done " + id);
  }
}
