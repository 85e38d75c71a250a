package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Delivery;
import dev.sluice.EventStream;
import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.UnsupportedCapabilityException;
import dev.sluice.spi.Sink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

class JdbcSinkTest {
  /** A row of the tests' tables. */
  record Row(int first, int total) {}

  @TempDir Path dir;

  private static int nOf(Map<String, Object> v) {
    return ((Number) v.get("n")).intValue();
  }

  private static DataSource postgres() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:" + TestPostgres.server().getPort() + "/postgres");
    ds.setUser("postgres");
    return ds;
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getInt(1) + ":" + rs.getInt(2));
      }
    }
    return out;
  }

  /** Six records 0..5 in stream t, consumed in windows of two. */
  private static void fill(Store store) {
    EventStream<Map<String, Object>> s = store.stream("t");
    for (int i = 0; i < 6; i++) {
      s.append(Map.of("n", i));
    }
  }

  @Test
  void writesOneRowPerResultIntoAnyDatabaseAtLeastOnce() throws Exception {
    String table = "sums_" + ProcessHandle.current().pid();
    Sink<Row> toPostgres =
        JdbcSink.<Row>into(table, "first", "total")
            .create("CREATE TABLE IF NOT EXISTS " + table + "(first int PRIMARY KEY, total int)")
            .binder(
                (ps, r) -> {
                  ps.setInt(1, r.first());
                  ps.setInt(2, r.total());
                })
            .batchSize(1)
            .to(postgres());
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + dir.resolve("out.db"));
    Sink<Row> toSqlite =
        JdbcSink.<Row>into("sums", "first", "total")
            .create("CREATE TABLE IF NOT EXISTS sums(first INTEGER PRIMARY KEY, total INTEGER)")
            .binder(
                (ps, r) -> {
                  ps.setInt(1, r.first());
                  ps.setInt(2, r.total());
                })
            .to(sqlite);
    try (Store store = Sluice.open("mem:")) {
      fill(store);
      for (Sink<Row> sink : List.of(toPostgres, toSqlite)) {
        var c =
            store
                .streaming("t")
                .group("g" + System.identityHashCode(sink))
                .size(2)
                .process(
                    w ->
                        new Row(
                            (int) w.firstOffset(),
                            w.data().stream().mapToInt(JdbcSinkTest::nOf).sum()))
                .sink(sink);
        while (c.once()) {}
      }
    }
    try (Connection c = TestPostgres.connect()) {
      assertThat(rows(c, "SELECT first, total FROM " + table + " ORDER BY first"))
          .containsExactly("0:1", "2:5", "4:9");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("out.db"))) {
      assertThat(rows(c, "SELECT first, total FROM sums ORDER BY first"))
          .containsExactly("0:1", "2:5", "4:9");
    }
  }

  @Test
  void listResultsAreExpandedIntoOneRowPerElement() throws Exception {
    String table = "pairs_" + ProcessHandle.current().pid();
    Sink<Row> rows =
        JdbcSink.<Row>into(table, "first", "total")
            .create("CREATE TABLE IF NOT EXISTS " + table + "(first int, total int)")
            .binder(
                (ps, r) -> {
                  ps.setInt(1, r.first());
                  ps.setInt(2, r.total());
                })
            .to(postgres());
    try (Store store = Sluice.open("mem:")) {
      fill(store);
      var c =
          store
              .streaming("t")
              .size(3)
              .process(
                  w ->
                      w.records().stream()
                          .map(r -> new Row((int) r.offset(), nOf(r.value()) * 10))
                          .toList())
              .sink(JdbcSink.expand(rows));
      while (c.once()) {}
    }
    try (Connection c = TestPostgres.connect()) {
      assertThat(rows(c, "SELECT first, total FROM " + table + " ORDER BY first"))
          .containsExactly("0:0", "1:10", "2:20", "3:30", "4:40", "5:50");
    }
  }

  @Test
  void exactlyOnceIntoATableOfTheStoresOwnDatabase() throws Exception {
    String url = TestPostgres.freshUrl();
    String schema = url.substring(url.indexOf("schema=") + 7);
    AtomicInteger failures = new AtomicInteger(1);
    try (Store store = Sluice.open(url)) {
      fill(store);
      var sink =
          JdbcSink.<Row>into("sums", "first", "total")
              .create("CREATE TABLE IF NOT EXISTS sums(first int PRIMARY KEY, total int)")
              .binder(
                  (ps, r) -> {
                    ps.setInt(1, r.first());
                    ps.setInt(2, r.total());
                    if (r.first() == 2 && failures.getAndDecrement() > 0) {
                      throw new SQLException("disk hiccup after the insert was bound");
                    }
                  })
              .toStore(store);
      var c =
          store
              .streaming("t")
              .size(2)
              .delivery(Delivery.EXACTLY_ONCE)
              .retry(Retry.times(3).backoff(Duration.ZERO))
              .process(
                  w ->
                      new Row(
                          (int) w.firstOffset(),
                          w.data().stream().mapToInt(JdbcSinkTest::nOf).sum()))
              .sink(sink);
      while (c.once()) {}
      assertThat(store.stream("t").groups().get(0).committed()).isEqualTo(6);
      assertThat(store.stream("t").groups().get(0).windowsFailed()).isEqualTo(1);
    }
    try (Connection c = TestPostgres.connect()) {
      assertThat(rows(c, "SELECT first, total FROM " + schema + ".sums ORDER BY first"))
          .containsExactly("0:1", "2:5", "4:9");
    }
  }

  @Test
  void namesAreCheckedAndAStoreWithoutADatabaseIsRefused() {
    assertThatThrownBy(() -> JdbcSink.into("t; DROP TABLE x", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table name must match")
        .hasMessageContaining("t; DROP TABLE x");
    assertThatThrownBy(() -> JdbcSink.into("t", "a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a b\"");
    assertThatThrownBy(() -> JdbcSink.<Row>into("t", "a").to(postgres()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("binder");
    try (Store mem = Sluice.open("mem:")) {
      assertThatThrownBy(() -> JdbcSink.<Row>into("t", "a").binder((ps, r) -> {}).toStore(mem))
          .isInstanceOf(UnsupportedCapabilityException.class);
    }
  }
}
