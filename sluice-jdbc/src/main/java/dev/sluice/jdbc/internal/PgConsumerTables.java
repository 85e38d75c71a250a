package dev.sluice.jdbc.internal;

import dev.sluice.StoreException;
import dev.sluice.spi.Scheduler;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerWorkException;
import dev.sluice.spi.consumer.Wakeups;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer tables of the PostgreSQL store, for the shared consumer engine.
 *
 * <p>Write transactions are serialized across every process of the store by a transaction-level
 * advisory lock taken first, as the engine requires (its claims read a row and put a changed copy
 * back); they are short — a claim, a commit, a heartbeat. Reads run in a {@code REPEATABLE READ
 * READ ONLY} transaction: one consistent snapshot.
 */
final class PgConsumerTables implements ConsumerTables {
  private static final Logger LOG = LoggerFactory.getLogger(PgConsumerTables.class);

  private final String url;
  private final DataSource pool;
  private final Clock clock;
  private final Scheduler scheduler;
  private final PgProcesses processes;
  private final Wakeups wakeups;
  private final String channel;
  private final long lockKey;

  PgConsumerTables(
      String url,
      DataSource pool,
      Clock clock,
      Scheduler scheduler,
      PgProcesses processes,
      Wakeups wakeups,
      String schema,
      String channel) {
    this.url = url;
    this.pool = pool;
    this.clock = clock;
    this.scheduler = scheduler;
    this.processes = processes;
    this.wakeups = wakeups;
    this.channel = channel;
    this.lockKey = ("sluice-consumers:" + schema).hashCode();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public String processId() {
    return processes.processId();
  }

  @Override
  public boolean isAlive(String processId) {
    try (Connection c = pool.getConnection()) {
      return processes.isAlive(processId, c);
    } catch (SQLException e) {
      LOG.debug("cannot tell whether {} is alive ({}); leases decide", processId, e.getMessage());
      return true;
    }
  }

  @Override
  public Wakeups wakeups() {
    return wakeups;
  }

  @Override
  public <T> T read(Work<T> work) {
    return run(work, false);
  }

  @Override
  public <T> T write(Work<T> work) {
    T result = run(work, true);
    wakeups.bump();
    return result;
  }

  private <T> T run(Work<T> work, boolean write) {
    for (int attempt = 1; ; attempt++) {
      Connection c = connect();
      Map<String, PreparedStatement> cache = new HashMap<>();
      try {
        try {
          begin(c, write);
        } catch (SQLException e) {
          PgWriter.rollbackQuietly(c);
          if (attempt < 5 && PgErrors.isRetriable(e)) {
            // Nothing ran yet: a pooled connection the server had ended, say.
            LOG.warn(
                "consumer transaction on {} could not start ({}); retrying", url, e.getMessage());
            continue;
          }
          throw new StoreException(
              "cannot start a consumer transaction on " + url + ": " + e.getMessage(), e);
        }
        PgConsumerTx tx =
            new PgConsumerTx(
                c,
                sql -> {
                  PreparedStatement ps = cache.get(sql);
                  if (ps == null) {
                    ps = c.prepareStatement(sql);
                    cache.put(sql, ps);
                  }
                  return ps;
                },
                clock.instant(),
                write,
                channel);
        T result;
        try {
          result = work.apply(tx);
        } catch (StoreException e) {
          PgWriter.rollbackQuietly(c);
          if (e.getCause() instanceof SQLException sql && PgErrors.isConnectionLoss(sql)) {
            throw new StoreException(
                "consumer transaction on "
                    + url
                    + " lost its connection and was rolled back: "
                    + sql.getMessage(),
                e);
          }
          throw e;
        } catch (RuntimeException e) {
          PgWriter.rollbackQuietly(c);
          throw e;
        } catch (Exception e) {
          PgWriter.rollbackQuietly(c);
          throw new ConsumerWorkException(e);
        }
        try {
          c.commit();
        } catch (SQLException e) {
          PgWriter.rollbackQuietly(c);
          throw new StoreException(
              "consumer transaction on " + url + " failed at commit: " + e.getMessage(), e);
        }
        return result;
      } finally {
        for (PreparedStatement ps : cache.values()) {
          try {
            ps.close();
          } catch (SQLException e) {
            LOG.debug("closing a statement: {}", e.getMessage());
          }
        }
        try {
          c.close();
        } catch (SQLException e) {
          LOG.debug("returning a connection: {}", e.getMessage());
        }
      }
    }
  }

  /** Opens the transaction: the store-wide lock, or a read-only snapshot. */
  private void begin(Connection c, boolean write) throws SQLException {
    c.setAutoCommit(false);
    if (write) {
      // No notification: consumers wait for records, and appends (dead letters and a sink's
      // output included) notify; waking every process at every claim would make them all re-read.
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, lockKey);
        ps.execute();
      }
    } else {
      try (PreparedStatement ps =
          c.prepareStatement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")) {
        ps.execute();
      }
    }
  }

  private Connection connect() {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw new StoreException("cannot reach the store " + url + ": " + e.getMessage(), e);
    }
  }
}
