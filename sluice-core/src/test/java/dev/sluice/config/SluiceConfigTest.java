package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceConfigTest {
  @TempDir Path dir;

  private static String config(String out) {
    return """
        {
          "streams": {
            "readings": {"sources": [{"type": "counting", "name": "sensors", "count": 5}]}
          },
          "consumers": [
            {"stream": "readings", "group": "archive", "window": {"count": 5}, "workers": 2,
             "sinks": [{"type": "ndjson", "path": "%s"},
                       {"type": "stream", "stream": "windows", "expand": false}]}
          ]
        }
        """
        .formatted(out.replace("\\", "\\\\"));
  }

  @Test
  void startsSourcesAndConsumersWithExpandedAndWholeWindowSinks() throws Exception {
    Path out = dir.resolve("out.ndjson");
    SluiceConfig config = SluiceConfig.parse("test.json", config(out.toString()));
    try (Store store = Sluice.open("mem:");
        Deployment d = config.start(store)) {
      assertThat(d.sources()).containsOnlyKeys("readings/sensors");
      assertThat(d.consumers()).containsOnlyKeys("readings/archive");
      EventStream<Map<String, Object>> windows = store.stream("windows");
      await(() -> windows.metadata().recordCount() == 1);
      assertThat(Files.readAllLines(out)).hasSize(5).first().asString().contains("\"i\":0");
    }
  }

  @Test
  void startingTheSameConfigurationAgainReusesTheRunningSourceAndConsumer() throws Exception {
    SluiceConfig config =
        SluiceConfig.parse("test.json", config(dir.resolve("o.ndjson").toString()));
    try (Store store = Sluice.open("mem:")) {
      int created = CountingSourceFactory.CREATED.get();
      try (Deployment first = config.start(store);
          Deployment second = config.start(store)) {
        assertThat(second.sources().get("readings/sensors"))
            .isSameAs(first.sources().get("readings/sensors"));
        assertThat(second.consumers().get("readings/archive"))
            .isSameAs(first.consumers().get("readings/archive"));
        assertThat(CountingSourceFactory.CREATED.get() - created).isEqualTo(1);
        await(() -> store.stream("readings").metadata().recordCount() == 5);
        first.close();
        assertThat(second.sources().get("readings/sensors").isRunning()).isTrue();
      }
      assertThat(store.stream("readings").metadata().recordCount()).isEqualTo(5);
      assertThat(CountingSourceFactory.RUNNING.get()).isZero();
    }
  }

  @Test
  void aSourceThatEndedIsNotStartedAgainByASecondStart() throws Exception {
    Path in = Files.writeString(dir.resolve("in.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
    SluiceConfig config =
        SluiceConfig.parse(
            "file.json",
            """
            {"streams": {"in": {"sources": [{"type": "ndjson", "path": "%s"}]}}}
            """
                .formatted(in.toString().replace("\\", "\\\\")));
    try (Store store = Sluice.open("mem:");
        Deployment first = config.start(store)) {
      EventStream.Attachment loading = first.sources().get("in/ndjson");
      assertThat(loading.await(Duration.ofSeconds(10))).isTrue();
      try (Deployment second = config.start(store)) {
        assertThat(second.sources().get("in/ndjson")).isSameAs(loading);
      }
      assertThat(store.stream("in").metadata().recordCount()).isEqualTo(2);
    }
  }

  @Test
  void anUnknownTypeIsRejectedNamingWhereAndTheKnownTypes() {
    SluiceConfig config =
        SluiceConfig.parse(
            "bad.json",
            """
            {"streams": {"s": {"sources": [{"type": "kafka"}]}}}
            """);
    try (Store store = Sluice.open("mem:")) {
      assertThatThrownBy(() -> config.start(store))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("bad.json.streams.s.sources[0].type")
          .hasMessageContaining("\"kafka\"")
          .hasMessageContaining("counting")
          .hasMessageContaining("ndjson");
    }
  }

  @Test
  void badValuesAreRejectedNamingTheRule() {
    assertThatThrownBy(() -> SluiceConfig.parse("x.json", "{\"strems\": {}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown field \"strems\"");
    SluiceConfig config =
        SluiceConfig.parse(
            "x.json",
            """
            {"consumers": [{"stream": "s", "window": {"count": 2, "orAfter": "soon"},
                            "sinks": [{"type": "stdout"}]}]}
            """);
    try (Store store = Sluice.open("mem:")) {
      assertThatThrownBy(() -> config.start(store))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "x.json.consumers[0].window.orAfter must be a duration such as \"5s\", \"500ms\""
                  + " or \"PT5S\": \"soon\"");
    }
    SluiceConfig typo =
        SluiceConfig.parse(
            "y.json",
            "{\"consumers\": [{\"stream\": \"s\", \"windw\": {}, \"sinks\": [{\"type\": \"stdout\"}]}]}");
    try (Store store = Sluice.open("mem:")) {
      assertThatThrownBy(() -> typo.start(store))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("y.json.consumers[0]: unknown field \"windw\"");
    }
    assertThatThrownBy(() -> SluiceConfig.parse("x.json", "[1, 2]"))
        .hasMessageContaining("must be a JSON object");
    assertThat(SluiceConfig.parse("x.json", "{\"store\": \"mem:\"}").sources()).isEmpty();
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(5);
    }
  }
}
