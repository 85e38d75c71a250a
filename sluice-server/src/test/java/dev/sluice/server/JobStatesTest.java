package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.DeadLetter;
import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Sources;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks for jobs and sources built elsewhere (a configuration file): the app starts them, shows
 * their states, reports readiness from them, and refuses to start when one cannot.
 */
class JobStatesTest {
  @TempDir Path dir;

  @Test
  void jobsAndSources_showTheirStates_andAFailedJobMakesTheAppNotReady() throws Exception {
    Path readings = Files.writeString(dir.resolve("readings.ndjson"), "{\"r\":1}\n{\"r\":2}\n");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      store.stream("fragile").append(java.util.Map.of("x", 1));
      try (RunningApp app =
          StreamingApp.builder()
              .store(store)
              .port(0)
              .sampleEvery(Duration.ofMillis(100))
              .job(
                  "stopper",
                  s ->
                      s.streaming("fragile")
                          .size(1)
                          .retry(Retry.none())
                          .deadLetter(DeadLetter.STOP)
                          .start(
                              w -> {
                                throw new IllegalStateException("cannot handle " + w.id());
                              }))
              .source("loader", s -> s.stream("readings").attach(Sources.ndjson(readings)))
              .build()
              .start()) {
        Http http = new Http(app.uri());
        ApiTest.await("the stopper to fail", () -> state(http, "stopper").equals("FAILED"));
        ApiTest.await("the loader to finish", () -> state(http, "loader").equals("FINISHED"));
        JsonNode status = http.get("/status").json();
        JsonNode stopper = job(status, "stopper");
        assertThat(stopper.get("kind").asText()).isEqualTo("job");
        assertThat(stopper.get("failure").asText()).contains("cannot handle");
        assertThat(job(status, "loader").get("appended").asLong()).isEqualTo(2);
        assertThat(store.metadata("readings").orElseThrow().recordCount()).isEqualTo(2);

        Http.Reply ready = http.get("/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("problems").toString()).contains("stopper is FAILED");
        assertThat(http.get("/metrics").body())
            .contains("sluice_job_running{job=\"stopper\",kind=\"job\"} 0.0")
            .contains("sluice_source_appended_total{source=\"loader\"} 2.0");
      }
    }
  }

  @Test
  void aJobThatCannotStart_stopsTheAppFromStarting() {
    try (Store store = Sluice.open("mem:")) {
      StreamingApp app =
          StreamingApp.builder()
              .store(store)
              .port(0)
              .job(
                  "broken",
                  s -> {
                    throw new IllegalArgumentException("no such configuration");
                  })
              .build();
      assertThatThrownBy(app::start)
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("job \"broken\" failed to start: no such configuration");
    }
  }

  @Test
  void builder_refusesUnsafeOrAmbiguousSettings() {
    assertThatThrownBy(() -> StreamingApp.builder().storeUrl("mem:").host("0.0.0.0").build())
        .hasMessageContaining("a token is required");
    assertThatThrownBy(() -> StreamingApp.builder().storeUrl("mem:").token("short"))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> StreamingApp.builder().build())
        .hasMessageContaining("give exactly one of store(..) and storeUrl(..)");
    assertThatThrownBy(() -> StreamingApp.builder().storeUrl("mem:").protectReads(true).build())
        .hasMessageContaining("needs a token");
    assertThatThrownBy(
            () ->
                StreamingApp.builder().storeUrl("mem:").job("a", s -> null).source("a", s -> null))
        .hasMessageContaining("already named a");
  }

  private static String state(Http http, String name) {
    return job(http.get("/status").json(), name).get("state").asText();
  }

  private static JsonNode job(JsonNode status, String name) {
    for (JsonNode j : status.get("jobs")) {
      if (j.get("name").asText().equals(name)) {
        return j;
      }
    }
    throw new AssertionError("no job " + name + " in " + status);
  }
}
