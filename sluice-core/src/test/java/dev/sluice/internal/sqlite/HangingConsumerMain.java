package dev.sluice.internal.sqlite;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.time.Duration;

/** A consumer that claims a window, says so, and hangs in its handler until killed. */
public final class HangingConsumerMain {
  private HangingConsumerMain() {}

  public static void main(String[] args) throws Exception {
    Store store = Sluice.open("sqlite:" + args[0]);
    store
        .streaming(args[1])
        .lease(Duration.ofMinutes(10))
        .start(
            w -> {
              System.out.println("CLAIMED " + w.id() + " attempt " + w.attempt());
              System.out.flush();
              Thread.sleep(Long.MAX_VALUE);
            });
  }
}
