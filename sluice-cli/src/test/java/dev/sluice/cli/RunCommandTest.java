package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run --config}: attach by configuration from the command line. */
class RunCommandTest {
  @TempDir Path dir;

  private record Result(int status, String out, String err) {}

  private Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  private static String json(Path p) {
    return "\"" + p.toString().replace("\\", "\\\\") + "\"";
  }

  @Test
  void runsTheSourcesAndConsumersOfAConfigurationUntilDrained() throws Exception {
    Path in =
        Files.writeString(dir.resolve("in.ndjson"), "{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n{\"i\":4}\n");
    Path out = dir.resolve("out.ndjson");
    Path config =
        Files.writeString(
            dir.resolve("sluice.json"),
            """
            {
              "store": "sqlite:%s",
              "streams": {"readings": {"sources": [{"type": "ndjson", "path": %s}]}},
              "consumers": [
                {"stream": "readings", "group": "archive", "window": {"count": 2},
                 "sinks": [{"type": "ndjson", "path": %s},
                           {"type": "stream", "stream": "pairs", "expand": false}]}
              ]
            }
            """
                .formatted(dir.resolve("data"), json(in), json(out)));
    Result r = sluice("run", "--config", config.toString(), "--drain");
    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("running 1 source(s) and 1 consumer(s)")
        .contains("source   readings/ndjson: 4 appended, 0 dead-lettered");
    assertThat(Files.readAllLines(out))
        .containsExactly("{\"i\":1}", "{\"i\":2}", "{\"i\":3}", "{\"i\":4}");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("data"))) {
      assertThat(store.metadata("pairs").orElseThrow().recordCount()).isEqualTo(2);
    }
  }

  @Test
  void aConfigurationErrorNamesWhereItIs() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"streams\": {\"s\": {\"sources\": [{\"type\": \"celery\"}]}}}");
    Result r = sluice("run", "--config", config.toString(), "--store", "mem:", "--drain");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains("streams.s.sources[0].type must be a source type on the classpath")
        .contains("mongo")
        .contains("mqtt")
        .contains("\"celery\"");
  }
}
