package dev.sluice.internal;

import dev.sluice.CodecException;
import dev.sluice.EventStream;
import dev.sluice.Sinks;
import dev.sluice.Store;
import dev.sluice.StoreException;
import dev.sluice.UnsupportedCapabilityException;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.spi.consumer.ConsumerTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The sinks into a store's own streams and tables, behind {@link Sinks}. */
public final class StoreSinks {
  private StoreSinks() {}

  /** A sink appending to a stream of the same store. */
  public static <R> TransactionalSink<R> stream(EventStream<R> target) {
    Objects.requireNonNull(target, "stream");
    if (!(target instanceof DefaultEventStream<R> s)) {
      throw new IllegalArgumentException("not a stream of a Sluice store: " + target);
    }
    return new StreamSink<>(s);
  }

  /** A sink inserting rows into a table of the store's SQL database. */
  public static <R> TransactionalSink<R> table(
      Store store, String createSql, String insertSql, Sinks.RowBinder<? super R> binder) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(insertSql, "insertSql");
    Objects.requireNonNull(binder, "binder");
    if (!(store instanceof StoreHandle handle)) {
      throw new IllegalArgumentException("not a store opened by Sluice.open: " + store);
    }
    StoreBackend backend = handle.backend();
    if (!backend.capabilities().contains(Capability.SQL_TRANSACTIONS)) {
      throw new UnsupportedCapabilityException(
          store.url(),
          "a table sink (its store is not a SQL database)",
          Capability.SQL_TRANSACTIONS);
    }
    ConsumerTables tables =
        backend
            .consumerTables()
            .orElseThrow(
                () ->
                    new UnsupportedCapabilityException(
                        store.url(), "a table sink", Capability.CONSUMER_ENGINE));
    return new TableSink<>(store.url(), tables, createSql, insertSql, binder);
  }

  private static final class StreamSink<R> implements TransactionalSink<R> {
    private final DefaultEventStream<R> target;

    StreamSink(DefaultEventStream<R> target) {
      this.target = target;
    }

    @Override
    public String storeUrl() {
      return target.storeUrl();
    }

    @Override
    public void write(R value) {
      target.append(value);
    }

    @Override
    public void writeAll(List<? extends R> values) {
      target.appendAll(values);
    }

    @Override
    public void write(StoreTransaction tx, List<? extends R> values) {
      Codec<R> codec = target.codec();
      List<Entry> entries = new ArrayList<>(values.size());
      for (R v : values) {
        try {
          entries.add(new Entry(null, codec.encode(v)));
        } catch (Exception e) {
          throw new CodecException(
              "cannot encode a result for stream \"" + target.name() + "\": " + e.getMessage(), e);
        }
      }
      tx.append(target.name(), entries);
    }

    @Override
    public String toString() {
      return "Sinks.stream(" + target.name() + ")";
    }
  }

  private static final class TableSink<R> implements TransactionalSink<R> {
    private final String url;
    private final ConsumerTables tables;
    private final String createSql;
    private final String insertSql;
    private final Sinks.RowBinder<? super R> binder;

    TableSink(
        String url,
        ConsumerTables tables,
        String createSql,
        String insertSql,
        Sinks.RowBinder<? super R> binder) {
      this.url = url;
      this.tables = tables;
      this.createSql = createSql;
      this.insertSql = insertSql;
      this.binder = binder;
    }

    @Override
    public String storeUrl() {
      return url;
    }

    @Override
    public void write(R value) throws Exception {
      writeAll(List.of(value));
    }

    @Override
    public void writeAll(List<? extends R> values) {
      tables.write(
          tx -> {
            insert(tx.connection().orElseThrow(), values);
            return null;
          });
    }

    @Override
    public void write(StoreTransaction tx, List<? extends R> values) throws Exception {
      Connection c =
          tx.connection()
              .orElseThrow(() -> new StoreException("store " + url + " has no SQL connection"));
      insert(c, values);
    }

    private void insert(Connection c, List<? extends R> values) throws Exception {
      if (createSql != null) {
        try (Statement s = c.createStatement()) {
          s.execute(createSql);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(insertSql)) {
        for (R v : values) {
          binder.bind(ps, v);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    @Override
    public String toString() {
      return "Sinks.table(" + insertSql + ")";
    }
  }
}
