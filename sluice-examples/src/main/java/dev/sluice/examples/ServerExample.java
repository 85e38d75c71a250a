package dev.sluice.examples;

import dev.sluice.Store;
import dev.sluice.server.RunningApp;
import dev.sluice.server.StreamingApp;
import java.util.concurrent.atomic.AtomicLong;

/** The README's and docs/SERVER.md's streaming-app example, compiled. */
public final class ServerExample {
  private ServerExample() {}

  /**
   * Starts an app on {@code store} with one consumer that counts the records of {@code orders} it
   * is handed, on {@code port} (0 for any free one), and returns it running.
   */
  public static RunningApp start(Store store, int port, String token, AtomicLong billed) {
    // README: server
    RunningApp app =
        StreamingApp.builder()
            .store(store) // or .storeUrl("sqlite:./sluice-data")
            .port(port) // on 127.0.0.1 unless .host(..) says otherwise
            .token(token) // POST needs "Authorization: Bearer <token>"
            .consumer(
                "billing",
                s -> s.streaming("orders").group("billing").size(100),
                window -> billed.addAndGet(window.size()))
            .build()
            .start(); // GET / is the dashboard; app.close() stops it all
    // README: end
    return app;
  }
}
