package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Codecs;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load on loopback: concurrent clients post NDJSON batches and single records while a
 * dashboard polls every read endpoint. No request may fail, and every acknowledged record must be
 * in the stream exactly once. Bounded by count (below) and by time (two minutes).
 */
class LoadTest {
  static final int CLIENTS = 8;
  static final int REQUESTS_PER_CLIENT = 60;
  static final int BATCH = 50;
  static final Duration LIMIT = Duration.ofMinutes(2);
  @TempDir Path dir;

  @Test
  void concurrentIngestWhileTheDashboardPolls_losesAndDuplicatesNothing() throws Exception {
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"));
        RunningApp app =
            StreamingApp.builder()
                .store(store)
                .port(0)
                .sampleEvery(Duration.ofMillis(200))
                .consumer("counter", s -> s.streaming("load").group("counter").size(100), w -> {})
                .build()
                .start()) {
      Http http = new Http(app.uri());
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicLong duplicateAcks = new AtomicLong();
      List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean polling = new AtomicBoolean(true);
      AtomicLong polls = new AtomicLong();
      long deadline = System.nanoTime() + LIMIT.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            pool.submit(
                () -> {
                  int seq = 0;
                  for (int r = 0; r < REQUESTS_PER_CLIENT && System.nanoTime() < deadline; r++) {
                    List<String> ids = new ArrayList<>();
                    Http.Reply reply;
                    if (r % 2 == 0) {
                      StringBuilder body = new StringBuilder();
                      for (int i = 0; i < BATCH; i++) {
                        String id = client + "-" + seq++;
                        ids.add(id);
                        body.append("{\"id\":\"")
                            .append(id)
                            .append(
                                "\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n");
                      }
                      reply = http.post("/streams/load", "application/x-ndjson", body.toString());
                    } else {
                      String id = client + "-" + seq++;
                      ids.add(id);
                      reply =
                          http.post("/streams/load", "application/json", "{\"id\":\"" + id + "\"}");
                    }
                    if (reply.status() / 100 != 2) {
                      failures.add(reply.status() + " " + reply.body());
                      continue;
                    }
                    JsonNode ack = reply.json();
                    if (ack.get("count").asInt() != ids.size()
                        || ack.get("lastOffset").asLong() - ack.get("firstOffset").asLong() + 1
                            != ids.size()) {
                      failures.add("bad acknowledgement " + ack);
                    }
                    for (String id : ids) {
                      if (!acknowledged.add(id)) {
                        duplicateAcks.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      Future<?> dashboard =
          pool.submit(
              () -> {
                List<String> paths =
                    List.of(
                        "/status",
                        "/history",
                        "/windows?max=10",
                        "/dead-letters?max=8",
                        "/metrics",
                        "/streams/load");
                while (polling.get() && System.nanoTime() < deadline) {
                  for (String p : paths) {
                    Http.Reply r = http.get(p);
                    if (r.status() != 200) {
                      failures.add(p + " answered " + r.status() + " " + r.body());
                    }
                    polls.incrementAndGet();
                  }
                }
                return null;
              });
      for (Future<?> f : clients) {
        f.get(LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
      }
      polling.set(false);
      dashboard.get(30, TimeUnit.SECONDS);
      pool.shutdown();
      assertThat(System.nanoTime())
          .as("the load finished within its time bound")
          .isLessThan(deadline);

      assertThat(failures).isEmpty();
      assertThat(duplicateAcks.get()).isZero();
      int expected = CLIENTS * (REQUESTS_PER_CLIENT / 2 * BATCH + REQUESTS_PER_CLIENT / 2);
      assertThat(acknowledged).hasSize(expected);
      assertThat(polls.get()).isGreaterThan(0);

      Map<String, Integer> seen = new HashMap<>();
      var stream = store.stream("load", Codecs.json(JsonNode.class));
      long from = 0;
      while (true) {
        List<Record<JsonNode>> page = stream.read(from, 5_000);
        if (page.isEmpty()) {
          break;
        }
        for (Record<JsonNode> r : page) {
          seen.merge(r.value().get("id").asText(), 1, Integer::sum);
        }
        from = page.get(page.size() - 1).offset() + 1;
      }
      List<String> missing = new ArrayList<>();
      for (String id : acknowledged) {
        if (!seen.containsKey(id)) {
          missing.add(id);
        }
      }
      assertThat(missing).as("acknowledged but not in the stream").isEmpty();
      assertThat(seen.entrySet().stream().filter(e -> e.getValue() != 1).toList())
          .as("in the stream more than once")
          .isEmpty();
      assertThat(seen.keySet()).as("in the stream but never acknowledged").isEqualTo(acknowledged);
    }
  }
}
