package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.kafka.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sluice command against {@code -s kafka://…}, on a real broker; the backend is found by URL.
 */
class KafkaCliTest {
  private static KafkaBroker broker;
  private final String url =
      "kafka://"
          + broker.bootstrap()
          + "?prefix=cli"
          + UUID.randomUUID().toString().substring(0, 8)
          + ".";

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private record Result(int status, String out, String err) {}

  private Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int at = args[0].equals("dlq") ? 2 : 1;
    all.add(at, "-s");
    all.add(at + 1, url);
    int status =
        Main.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void appendTailStreamsInfoAndDropOnKafka() {
    assertThat(sluice("append", "orders", "{\"id\":1}").out())
        .contains("appended 1 record to orders (offsets 0..0)");
    Result batch = sluice("append", "orders", "{\"id\":2}", "{\"id\":3}");
    assertThat(batch.status()).as(batch.err()).isZero();
    assertThat(batch.out()).contains("appended 2 records to orders (offsets 1..2)");

    assertThat(sluice("streams").out()).contains("orders");
    Result info = sluice("info", "orders");
    assertThat(info.out())
        .contains("records:      4") // three records and the batch's transaction marker
        .contains("created:      unknown")
        .contains("retention:    forever");

    Result tail = sluice("tail", "orders");
    assertThat(tail.status()).isZero();
    assertThat(tail.out().lines()).hasSize(3);
    assertThat(tail.out()).contains("\"id\":1").contains("\"id\":3");

    Result group = sluice("tail", "orders", "--group", "g", "--size", "2");
    assertThat(group.status()).as(group.err()).isZero();
    assertThat(group.out()).contains("\"window\":\"g/0/1\"").doesNotContain("g/0/2");
    Result again = sluice("tail", "orders", "--group", "g", "--size", "1");
    assertThat(again.out()).contains("\"window\":\"g/0/2\"").contains("\"id\":3");

    assertThat(sluice("drop", "orders").status()).isZero();
    assertThat(sluice("streams").out()).doesNotContain("orders");
  }

  @Test
  void deadLettersAreListed() throws Exception {
    try (Store store = Sluice.open(url)) {
      store.stream("jobs").append("k", Map.of("n", 1));
      store
          .streaming("jobs")
          .retry(Retry.none())
          .once(
              w -> {
                throw new IllegalStateException("bad job");
              });
    }
    Result list = sluice("dlq", "list", "jobs");
    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out()).contains("bad job");
  }
}
