package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer processes killed with SIGKILL mid-window: the survivors take their partitions over and
 * nothing is lost; with EXACTLY_ONCE a read_committed reader sees no duplicate.
 */
class ConsumerKillTest {
  private static final int RECORDS = 1_200;
  private static KafkaBroker broker;
  private static Admin admin;
  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    admin.close();
    broker.close();
  }

  private String url() {
    return broker.url()
        + "?partitions=4&consumer.session.timeout.ms=6000&consumer.heartbeat.interval.ms=500"
        + "&prefix=kill"
        + UUID.randomUUID().toString().substring(0, 6)
        + ".";
  }

  private static Process child(String url, String mode, String out) throws Exception {
    Process p =
        ChildJvm.builder(ConsumerChildMain.class, url, "in", "g", mode, out)
            .redirectErrorStream(true)
            .start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
    for (String line; (line = r.readLine()) != null; ) {
      if (line.equals("ready")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (r.readLine() != null) {
                      // keep the pipe empty
                    }
                  } catch (Exception e) {
                    // the process died
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    throw new IllegalStateException("the consumer process ended before it was ready");
  }

  private static void fill(Store store) {
    EventStream<Map<String, Object>> in = store.stream("in");
    for (int i = 0; i < RECORDS; i++) {
      in.appendAsync("k" + i, Map.of("n", i));
    }
    in.append("last", Map.of("n", -1));
  }

  private long committed(String url, String groupSuffix) throws Exception {
    String prefix = url.substring(url.indexOf("prefix=") + "prefix=".length());
    Map<TopicPartition, OffsetAndMetadata> c =
        admin
            .listConsumerGroupOffsets("sluice." + prefix + "in." + groupSuffix)
            .partitionsToOffsetAndMetadata()
            .get();
    return c.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void aKilledConsumerProcessLosesNothingItsPartitionsAreTakenOver() throws Exception {
    String url = url();
    try (Store store = Sluice.open(url)) {
      fill(store);
    }
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    Process first = child(url, "file", a.toString());
    Process second = child(url, "file", b.toString());
    try {
      await(
          () -> Files.exists(a) && Files.readAllLines(a).size() >= 100, "the first consumer works");
      first.destroyForcibly(); // SIGKILL, mid-window
      first.waitFor(10, TimeUnit.SECONDS);
      await(() -> committed(url, "g") == RECORDS + 1, "every record committed by the survivor");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
      second.waitFor(10, TimeUnit.SECONDS);
    }
    Map<Integer, Integer> seen = new HashMap<>();
    for (Path p : List.of(a, b)) {
      if (Files.exists(p)) {
        for (String line : Files.readAllLines(p)) {
          seen.merge(Integer.parseInt(line), 1, Integer::sum);
        }
      }
    }
    for (int i = -1; i < RECORDS; i++) {
      assertThat(seen).as("record " + i + " handled").containsKey(i);
    }
  }

  @Test
  void exactlyOnceIntoAKafkaStreamHasNoDuplicatesAfterKills() throws Exception {
    String url = url();
    try (Store store = Sluice.open(url)) {
      fill(store);
    }
    Process first = child(url, "exactly", "out");
    Process second = child(url, "exactly", "out");
    Process third = null;
    try {
      await(() -> committed(url, "g") > 200, "the consumers work");
      first.destroyForcibly();
      third = child(url, "exactly", "out");
      await(() -> committed(url, "g") > 600, "more work");
      second.destroyForcibly();
      await(() -> committed(url, "g") == RECORDS + 1, "every record committed");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
      if (third != null) {
        third.destroyForcibly();
      }
    }
    Map<Integer, Integer> seen = new HashMap<>();
    try (Store store = Sluice.open(url)) {
      EventStream<List<Object>> out =
          store.stream("out", Codecs.json(new TypeReference<List<Object>>() {}));
      for (int p = 0; p < out.partitions(); p++) {
        long next = 0;
        while (true) {
          List<Record<List<Object>>> page = out.read(p, next, 1000);
          if (page.isEmpty()) {
            break;
          }
          for (Record<List<Object>> r : page) {
            for (Object n : r.value()) {
              seen.merge(((Number) n).intValue(), 1, Integer::sum);
            }
          }
          next = page.get(page.size() - 1).offset() + 1;
        }
      }
    }
    assertThat(seen).hasSize(RECORDS + 1);
    assertThat(seen.values()).as("no duplicate seen by a read_committed reader").containsOnly(1);
  }
}
