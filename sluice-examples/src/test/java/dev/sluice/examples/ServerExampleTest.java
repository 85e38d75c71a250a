package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.server.RunningApp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The streaming-app example ingests over HTTP and its consumer sees the records. */
class ServerExampleTest {
  @Test
  void postedRecordsReachTheConsumer() throws Exception {
    AtomicLong billed = new AtomicLong();
    try (Store store = Sluice.open("mem:");
        RunningApp app = ServerExample.start(store, 0, "example-token-0123456789", billed)) {
      HttpRequest post =
          HttpRequest.newBuilder(app.uri().resolve("/streams/orders"))
              .header("Content-Type", "application/x-ndjson")
              .header("Authorization", "Bearer example-token-0123456789")
              .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}\n".repeat(100)))
              .build();
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (billed.get() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(billed.get()).isEqualTo(100);
    }
  }
}
