package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Retry;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API against a real embedded store, with consumers running inside the app. */
class ApiTest {
  @TempDir static Path dir;
  static Store store;
  static RunningApp app;
  static Http http;
  static final AtomicLong billed = new AtomicLong();

  @BeforeAll
  static void start() {
    store = Sluice.open("sqlite:" + dir.resolve("store"));
    app =
        StreamingApp.builder()
            .store(store)
            .port(0)
            .sampleEvery(Duration.ofMillis(100))
            .consumer(
                "billing",
                s -> s.streaming("orders").group("billing").size(5),
                w -> billed.addAndGet(w.size()))
            .processor(
                "checks",
                s -> s.streaming("payments").group("checks").size(1).retry(Retry.none()),
                w -> {
                  if (w.data().get(0).containsKey("poison")) {
                    throw new IllegalStateException("poison at " + w.firstOffset());
                  }
                  return w.data().get(0);
                },
                s -> Sinks.stream(s.stream("checked")))
            .build()
            .start();
    http = new Http(app.uri());
  }

  @AfterAll
  static void stop() {
    app.close();
    store.close();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void postJson_answersWithOffsetAndIsReadBack() {
    Http.Reply r = http.post("/streams/api-one?key=k1", "application/json", "{\"a\":1}");
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.get("count").asInt()).isEqualTo(1);
    long offset = j.get("firstOffset").asLong();
    JsonNode page = http.get("/streams/api-one/records?from=" + offset + "&max=10").json();
    assertThat(page.get("records")).hasSize(1);
    assertThat(page.get("records").get(0).get("value").get("a").asInt()).isEqualTo(1);
    assertThat(page.get("records").get(0).get("key").asText()).isEqualTo("k1");
    assertThat(page.get("next").asLong()).isEqualTo(offset + 1);
  }

  @Test
  void postNdjson_isAtomic() {
    Http.Reply ok =
        http.post("/streams/api-nd", "application/x-ndjson", "{\"i\":1}\n\n{\"i\":2}\r\n3\n");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("count").asInt()).isEqualTo(3);
    assertThat(ok.json().get("lastOffset").asLong()).isEqualTo(2);

    Http.Reply bad = http.post("/streams/api-nd", "application/x-ndjson", "{\"i\":4}\n{\"i\":\n");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).contains("line 2");
    assertThat(store.metadata("api-nd").orElseThrow().recordCount()).isEqualTo(3);
  }

  @Test
  void streams_listAndDescribeWithGroups() throws Exception {
    for (int i = 0; i < 10; i++) {
      http.post("/streams/orders", "application/json", "{\"order\":" + i + "}");
    }
    await("billing to consume 10 orders", () -> billed.get() >= 10);
    JsonNode list = http.get("/streams").json();
    List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(n.get("name").asText()));
    assertThat(names).contains("orders");

    await(
        "the group to commit",
        () ->
            http.get("/streams/orders").json().get("groups").get(0).get("committed").asLong()
                >= 10);
    JsonNode orders = http.get("/streams/orders").json();
    assertThat(orders.get("records").asLong()).isGreaterThanOrEqualTo(10);
    JsonNode g = orders.get("groups").get(0);
    assertThat(g.get("group").asText()).isEqualTo("billing");
    assertThat(g.get("lag").asLong()).isZero();

    assertThat(http.get("/streams/nope").status()).isEqualTo(404);
  }

  @Test
  void status_showsJobsGroupsWindowsAndDeadLetters() throws Exception {
    http.post(
        "/streams/payments", "application/x-ndjson", "{\"p\":1}\n{\"poison\":true}\n{\"p\":3}\n");
    await(
        "the poison payment to be dead-lettered",
        () -> store.metadata("payments.dlq").map(m -> m.recordCount() == 1).orElse(false));
    await(
        "the group to pass it",
        () -> statusGroup("payments", "checks").get("committed").asLong() >= 3);

    JsonNode status = http.get("/status").json();
    assertThat(status.get("store").get("url").asText()).startsWith("sqlite:");
    assertThat(status.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
    JsonNode checks = job(status, "checks");
    assertThat(checks.get("state").asText()).isEqualTo("RUNNING");
    assertThat(checks.get("windowsFailed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(checks.has("windowsPerSecond")).isTrue();
    JsonNode payments = null;
    for (JsonNode s : status.get("streams")) {
      if (s.get("name").asText().equals("payments")) {
        payments = s;
      }
    }
    assertThat(payments).isNotNull();
    assertThat(payments.get("deadLetters").asLong()).isEqualTo(1);

    JsonNode windows = http.get("/windows?max=50").json();
    boolean sawFailed = false;
    for (JsonNode w : windows) {
      if (w.get("job").asText().equals("checks") && w.get("outcome").asText().equals("failed")) {
        sawFailed = true;
        assertThat(w.get("error").asText()).contains("poison");
        assertThat(w.get("durationMillis").asDouble()).isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(sawFailed).isTrue();

    JsonNode dead = http.get("/dead-letters").json();
    assertThat(dead).isNotEmpty();
    assertThat(dead.get(0).get("letter").get("message").asText()).contains("poison");
    assertThat(http.get("/streams/payments.dlq/records").json().get("records")).hasSize(1);
    assertThat(store.metadata("checked").orElseThrow().recordCount()).isEqualTo(2);
  }

  private static JsonNode statusGroup(String stream, String group) {
    for (JsonNode g : http.get("/status").json().get("groups")) {
      if (g.get("stream").asText().equals(stream) && g.get("group").asText().equals(group)) {
        return g;
      }
    }
    return Http.JSON.createObjectNode().put("committed", -1);
  }

  private static JsonNode job(JsonNode status, String name) {
    for (JsonNode j : status.get("jobs")) {
      if (j.get("name").asText().equals(name)) {
        return j;
      }
    }
    throw new AssertionError("no job " + name + " in " + status);
  }

  @Test
  void metrics_arePrometheusText() throws Exception {
    http.post("/streams/metered", "application/json", "{}");
    await(
        "the sampler to see the stream",
        () -> http.get("/metrics").body().contains("sluice_stream_records{stream=\"metered\"}"));
    Http.Reply r = http.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.type()).startsWith("text/plain");
    assertThat(r.body())
        .contains("sluice_stream_append_rate{")
        .contains("sluice_stream_next_offset{")
        .contains("sluice_stream_dead_letters{")
        .contains("sluice_group_lag{")
        .contains("sluice_group_consume_rate{")
        .contains("sluice_store_size_bytes")
        .contains("sluice_job_running{")
        .contains("sluice_job_records_processed_total{")
        .contains("sluice_http_requests_seconds_count{")
        .contains("sluice_http_ingested_records_total{stream=\"metered\"}");
  }

  @Test
  void tail_streamsRecordsAndResumesFromLastEventId() throws Exception {
    http.post("/streams/tailed", "application/x-ndjson", "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
    List<String> ids = sse("/streams/tailed/tail?from=0&max=2", null);
    assertThat(ids).containsExactly("0", "1");
    Thread poster = new Thread(() -> http.post("/streams/tailed", "application/json", "{\"n\":3}"));
    List<String> resumed = new ArrayList<>();
    poster.start();
    resumed.addAll(sse("/streams/tailed/tail?max=2", "1"));
    poster.join();
    assertThat(resumed).containsExactly("2", "3");
  }

  private static List<String> sse(String path, String lastEventId) throws Exception {
    HttpURLConnection c = (HttpURLConnection) app.uri().resolve(path).toURL().openConnection();
    c.setReadTimeout(20_000);
    if (lastEventId != null) {
      c.setRequestProperty("Last-Event-ID", lastEventId);
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(c.getContentType()).startsWith("text/event-stream");
    List<String> ids = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("id: ")) {
          ids.add(line.substring(4));
        }
      }
    }
    return ids;
  }

  @Test
  void healthReadyAndDashboard() {
    assertThat(http.get("/health").json().get("status").asText()).isEqualTo("up");
    Http.Reply ready = http.get("/ready");
    assertThat(ready.status()).isEqualTo(200);
    Http.Reply page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.type()).startsWith("text/html");
    assertThat(page.body())
        .contains("/dashboard/app.js")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(http.get("/dashboard/app.js").status()).isEqualTo(200);
    assertThat(http.get("/dashboard/app.css").type()).startsWith("text/css");
    assertThat(http.get("/history").json().get("times")).isNotEmpty();
  }
}
