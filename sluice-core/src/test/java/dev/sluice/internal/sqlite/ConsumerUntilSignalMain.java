package dev.sluice.internal.sqlite;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.time.Duration;

/**
 * A consumer process with no shutdown code of its own, as a user's program or {@code sluice tail
 * --group g --follow} is: group {@code g}, windows of one record, each handled in 200 ms, until a
 * signal ends the JVM.
 */
public final class ConsumerUntilSignalMain {
  private ConsumerUntilSignalMain() {}

  public static void main(String[] args) throws Exception {
    Store store = Sluice.open("sqlite:" + args[0]);
    store
        .streaming(args[1])
        .group("g")
        .size(1)
        .lease(Duration.ofMinutes(10))
        .start(
            w -> {
              System.out.println("HANDLING " + w.firstOffset());
              System.out.flush();
              Thread.sleep(200);
            });
  }
}
