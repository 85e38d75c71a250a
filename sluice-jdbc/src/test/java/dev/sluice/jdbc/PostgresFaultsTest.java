package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreException;
import dev.sluice.StreamingJob;
import dev.sluice.Windows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server side fails under a running producer and consumer: connections ended by an
 * administrator ({@code pg_terminate_backend}), and a restart of the database. Every acknowledged
 * append is in the stream once, a failed one says why, and the consumer processes every record.
 */
class PostgresFaultsTest {
  @TempDir Path dir;

  /** What a producer thread saw: acknowledged sequence numbers and failures' messages. */
  private static final class Producer extends Thread {
    final EventStream<Map<String, Object>> stream;
    final AtomicBoolean stop = new AtomicBoolean();
    final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    Producer(EventStream<Map<String, Object>> stream) {
      this.stream = stream;
    }

    @Override
    public void run() {
      for (int i = 0; !stop.get(); i++) {
        try {
          stream.append(Map.of("i", i));
          acked.add(i);
        } catch (StoreException e) {
          failures.add(e.getMessage());
        }
        if (i % 20 == 0) {
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  private static Set<Integer> values(List<Record<Map<String, Object>>> records) {
    Set<Integer> out = new HashSet<>();
    for (Record<Map<String, Object>> r : records) {
      out.add((Integer) r.value().get("i"));
    }
    return out;
  }

  private static List<Record<Map<String, Object>>> readAll(EventStream<Map<String, Object>> s) {
    List<Record<Map<String, Object>>> all = new ArrayList<>();
    while (true) {
      var page = s.read(all.size(), 5_000);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
    }
  }

  private static void awaitConsumed(EventStream<?> s, Set<Integer> consumed, long count)
      throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (consumed.size() < count && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  /** A consumer of stream {@code events} that records what it processed. */
  private static StreamingJob consume(Store store, Set<Integer> consumed) {
    return store
        .streaming("events")
        .window(Windows.count(50).orAfter(Duration.ofMillis(100)))
        .start(w -> w.data().forEach(v -> consumed.add((Integer) v.get("i"))));
  }

  /**
   * Checks the stream and the consumer. A consumer whose transaction lost its connection stops with
   * a clear error (the engine does not retry store failures); then a new one resumes where the
   * group committed, and between them they process every record.
   */
  private static void check(
      Producer p,
      Store store,
      EventStream<Map<String, Object>> s,
      Set<Integer> consumed,
      StreamingJob job)
      throws InterruptedException {
    List<Record<Map<String, Object>>> all = readAll(s);
    Set<Integer> stored = values(all);
    assertThat(stored).as("every acknowledged append is in the stream").containsAll(p.acked);
    assertThat(all).as("no append was written twice").hasSize(stored.size());
    assertThat(p.failures)
        .as("failed appends say why")
        .allMatch(m -> m.contains("append to") && m.contains("failed"));
    StreamingJob resumed = null;
    if (job.failure().isPresent()) {
      assertThat(job.failure().get())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(store.url());
      resumed = consume(store, consumed);
    }
    try {
      awaitConsumed(s, consumed, stored.size());
      assertThat(consumed).as("the consumers processed every record").containsAll(stored);
    } finally {
      if (resumed != null) {
        resumed.close();
      }
    }
  }

  @Test
  void connectionsEndedByTheServerAreReplacedAndNothingIsLost() throws Exception {
    String url = TestPostgres.freshUrl();
    Set<Integer> consumed = ConcurrentHashMap.newKeySet();
    try (Store store = Sluice.open(url);
        Connection admin = TestPostgres.connect()) {
      EventStream<Map<String, Object>> s = store.stream("events");
      Producer p = new Producer(s);
      try (StreamingJob job = consume(store, consumed)) {
        p.start();
        int ended = 0;
        for (int round = 0; round < 10; round++) {
          Thread.sleep(300);
          try (Statement st = admin.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                          + " WHERE application_name LIKE 'sluice%'"
                          + " AND pid <> pg_backend_pid()")) {
            rs.next();
            ended += rs.getInt(1);
          }
        }
        Thread.sleep(300);
        p.stop.set(true);
        p.join();
        assertThat(ended).as("connections ended").isGreaterThan(10);
        assertThat(p.acked).as("appends went on").hasSizeGreaterThan(100);
        check(p, store, s, consumed, job);
      }
    }
  }

  @Test
  void aDatabaseRestartDuringARunIsRiddenOut() throws Exception {
    Path data = dir.resolve("pgdata");
    EmbeddedPostgres pg = TestPostgres.start(data, 0);
    int port = pg.getPort();
    String url = TestPostgres.url(pg, "restart");
    Set<Integer> consumed = ConcurrentHashMap.newKeySet();
    try (Store store = Sluice.open(url)) {
      EventStream<Map<String, Object>> s = store.stream("events");
      Producer p = new Producer(s);
      try (StreamingJob job = consume(store, consumed)) {
        p.start();
        Thread.sleep(1_000);
        int before = p.acked.size();
        pg.close();
        Thread.sleep(1_000);
        pg = TestPostgres.start(data, port);
        Thread.sleep(2_000);
        p.stop.set(true);
        p.join();
        assertThat(before).isPositive();
        assertThat(p.acked.size()).as("appends resumed after the restart").isGreaterThan(before);
        check(p, store, s, consumed, job);
      }
    } finally {
      pg.close();
    }
  }
}
