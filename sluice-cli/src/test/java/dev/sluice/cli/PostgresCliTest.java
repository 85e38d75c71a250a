package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.jdbc.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line against a PostgreSQL store: {@code -s postgresql://…}. */
class PostgresCliTest {
  private final String url = TestPostgres.freshUrl();

  private record Result(int status, String out, String err) {}

  private Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int at = args[0].equals("dlq") ? 2 : 1; // after the subcommand that takes --store
    all.add(at, "-s");
    all.add(at + 1, url);
    int status =
        Main.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void appendStreamsInfoTailDlqAndDropWorkOnPostgres() {
    Result appended = sluice("append", "orders", "{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
    assertThat(appended.status()).as(appended.err()).isZero();
    assertThat(appended.out()).contains("appended 3 records to orders (offsets 0..2)");

    assertThat(sluice("streams").out()).containsPattern("orders\\s+3\\s+0\\s+2");
    assertThat(sluice("info", "orders").out()).contains("records:      3");

    Result tail = sluice("tail", "orders", "--from", "1");
    assertThat(tail.status()).as(tail.err()).isZero();
    assertThat(tail.out().lines()).hasSize(2).last().asString().contains("\"id\":3");

    try (Store store = Sluice.open(url)) {
      var consumer = store.streaming("orders").retry(Retry.none());
      while (consumer.once(
          w -> {
            if (((Integer) w.data().get(0).get("id")) == 2) {
              throw new IllegalStateException("id 2 is poison");
            }
          })) {
        // one window per record; id 2 is dead-lettered
      }
    }
    Result list = sluice("dlq", "list", "orders");
    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out()).contains("id 2 is poison").contains("1 dead letters, 1 not replayed");
    Result replay = sluice("dlq", "replay", "orders");
    assertThat(replay.status()).as(replay.err()).isZero();
    try (Store store = Sluice.open(url)) {
      assertThat(store.stream("orders").read(3, 10))
          .extracting(r -> r.value())
          .containsExactly(Map.of("id", 2));
    }

    Result drop = sluice("drop", "orders");
    assertThat(drop.status()).as(drop.err()).isZero();
    assertThat(drop.out()).contains("dropped orders (4 records)");
    assertThat(sluice("info", "orders").status()).isEqualTo(1);
  }
}
