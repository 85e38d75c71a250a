package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The psql session of docs/POSTGRES.md reads a store's tables, with the outside client. */
class PsqlTest {
  @TempDir Path dir;

  @Test
  void psqlReadsStreamsRecordsGroupsAndWindowsAsTheDocsShow() throws Exception {
    String psql = findPsql();
    String url = TestPostgres.url(TestPostgres.server(), "sluice");
    try (Store store = Sluice.open(url)) {
      var orders = store.stream("orders");
      for (int i = 0; i < 7; i++) {
        orders.append("k" + i, Map.of("id", i));
      }
      var consumer = store.streaming("orders").group("billing").size(3).retry(Retry.none());
      while (consumer.once(w -> {})) {
        // two windows of three; one record left
      }
    }
    Path script = dir.resolve("read-tables.psql");
    try (var in = PsqlTest.class.getResourceAsStream("/read-tables.psql")) {
      Files.copy(in, script);
    }
    Process p =
        new ProcessBuilder(
                psql,
                "postgresql://127.0.0.1:"
                    + TestPostgres.server().getPort()
                    + "/postgres?user=postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                script.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("orders\\s+\\|\\s+7\\s+\\|\\s+0\\s+\\|\\s+6")
        .contains("{\"id\": 6}")
        .containsPattern("orders\\s+\\|\\s+billing\\s+\\|\\s+6\\s+\\|\\s+1");
  }

  private static String findPsql() throws IOException {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, "psql");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(
        "psql is not installed; install it with: apt-get install postgresql-client"
            + " (scripts/test.sh does so when run as root)");
  }
}
