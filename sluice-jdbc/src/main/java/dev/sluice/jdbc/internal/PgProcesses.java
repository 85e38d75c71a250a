package dev.sluice.jdbc.internal;

import dev.sluice.spi.consumer.Wakeups;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's presence in the store, and its ear for other processes' commits, on one dedicated
 * connection.
 *
 * <p><b>Liveness.</b> At start the process takes a new id from the {@code procs} table and holds
 * the session-level advisory lock {@code (key, id)} for its life. PostgreSQL releases a session
 * lock the moment the session ends — the process died, its machine lost the network, or an
 * administrator ended the session — so another process asking {@link #isAlive} sees at once that
 * the claims of that id are free. Ids are never reused, so a process found dead stays dead; if this
 * process loses its own connection it takes a new id (its old claims are then taken over, and its
 * commits of them are fenced off).
 *
 * <p><b>Wake-ups.</b> The same connection {@code LISTEN}s on the store's channel, which every
 * append and consumer commit notifies; a thread blocks reading the socket (no polling) and bumps
 * the store's {@link Wakeups} on each notification.
 */
final class PgProcesses implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgProcesses.class);
  private static final long ALIVE_CACHE_NANOS = 50_000_000L;
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  /** Opens a dedicated connection (not from the pool: it lives as long as the store). */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final int key;
  private final String channel;
  private final Wakeups wakeups;
  private final String where;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<Long> dead = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> aliveSeen = new ConcurrentHashMap<>();
  private volatile Connection connection;
  private volatile long self;
  private final Thread listener;

  PgProcesses(Connector connector, String schema, String channel, Wakeups wakeups, String where)
      throws SQLException {
    this.connector = connector;
    this.key = ("sluice-procs:" + schema).hashCode() & 0x7fffffff;
    this.channel = channel;
    this.wakeups = wakeups;
    this.where = where;
    register();
    this.listener = new Thread(this::listen, "sluice-pg-listener");
    listener.setDaemon(true);
    listener.start();
  }

  /** Takes a new process id, its advisory lock, and listens; on a new connection. */
  private void register() throws SQLException {
    Connection c = connector.connect();
    try {
      c.setAutoCommit(true);
      long id;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO procs(started, host, pid) VALUES (?, ?, ?) RETURNING id")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, host());
        ps.setLong(3, ProcessHandle.current().pid());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
        ps.setInt(1, key);
        ps.setInt(2, (int) id);
        ps.execute();
      }
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + channel);
      }
      connection = c;
      self = id;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** This process's id, as the consumer engine names owners: {@code p<id>}. */
  String processId() {
    return "p" + self;
  }

  /**
   * Whether the process holding an id still holds its advisory lock. Answers for live processes are
   * cached for 50 ms; dead ones stay dead. An id this store cannot parse is alive (leases decide).
   */
  boolean isAlive(String processId, Connection c) throws SQLException {
    long id;
    try {
      id = Long.parseLong(processId.substring(1));
    } catch (RuntimeException e) {
      return true;
    }
    if (id == self) {
      return true;
    }
    if (dead.contains(id)) {
      return false;
    }
    Long seen = aliveSeen.get(id);
    long now = System.nanoTime();
    if (seen != null && now - seen < ALIVE_CACHE_NANOS) {
      return true;
    }
    boolean alive;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                + " WHERE d.datname = current_database() AND l.locktype = 'advisory'"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2"
                + " AND l.granted)")) {
      ps.setLong(1, key);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        alive = rs.getBoolean(1);
      }
    }
    if (alive) {
      aliveSeen.put(id, now);
    } else {
      dead.add(id);
      aliveSeen.remove(id);
    }
    return alive;
  }

  private void listen() {
    try {
      listenUntilClosed();
    } finally {
      // Here rather than in close(): a thread waiting for notifications holds the connection.
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM procs WHERE id = ?")) {
        ps.setLong(1, self);
        ps.executeUpdate();
      } catch (SQLException e) {
        LOG.debug("cannot remove process {}: {}", self, e.getMessage());
      }
      closeQuietly(connection);
    }
  }

  private void listenUntilClosed() {
    long lastCheck = System.nanoTime();
    while (!closed.get()) {
      try {
        PGConnection pg = connection.unwrap(PGConnection.class);
        PGNotification[] got = pg.getNotifications(500);
        if (got != null && got.length > 0) {
          wakeups.bump();
        }
        if (System.nanoTime() - lastCheck > READ_TIMEOUT_MILLIS * 1_000_000L) {
          // A server that vanished without closing the socket is noticed here.
          try (Statement s = connection.createStatement()) {
            s.setQueryTimeout(READ_TIMEOUT_MILLIS / 1000);
            s.execute("SELECT 1");
          }
          lastCheck = System.nanoTime();
        }
      } catch (SQLException e) {
        if (closed.get()) {
          return;
        }
        LOG.warn(
            "store {} lost its liveness connection ({}); this process re-registers under a new"
                + " id, and its claims under process {} are taken over by others",
            where,
            e.getMessage(),
            processId());
        closeQuietly(connection);
        reconnect();
        lastCheck = System.nanoTime();
      }
    }
  }

  private void reconnect() {
    long backoff = 50;
    while (!closed.get()) {
      try {
        register();
        wakeups.bump(); // whatever happened meanwhile is looked at again
        LOG.info("store {}: this process is now {}", where, processId());
        return;
      } catch (SQLException e) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(1_000, backoff * 2);
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listener.interrupt();
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a connection: {}", e.getMessage());
      }
    }
  }
}
