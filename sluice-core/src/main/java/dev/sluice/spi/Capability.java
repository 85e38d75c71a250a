package dev.sluice.spi;

/**
 * What a backend can do beyond the store rules every backend keeps. Sluice asks {@link
 * StoreBackend#capabilities()} before it relies on one, and a user asking for what a backend lacks
 * gets a {@link dev.sluice.UnsupportedCapabilityException} naming the backend and the capability.
 */
public enum Capability {
  /**
   * The backend keeps consumer tables ({@link StoreBackend#consumerTables()}), so Sluice's shared
   * consumer engine — claims, fencing tokens, leases, retries, dead letters, retention, group
   * expiry, exactly-once — runs on it. The embedded, in-memory and PostgreSQL stores.
   */
  CONSUMER_ENGINE,

  /**
   * The backend runs consumers with a runtime of its own ({@link StoreBackend#consumerRuntime()}),
   * such as Kafka consumer groups. Exclusive with {@link #CONSUMER_ENGINE}.
   */
  CONSUMER_RUNTIME,

  /**
   * The backend's write transactions carry a JDBC connection ({@link
   * StoreTransaction#connection()}), so {@link dev.sluice.Sinks#table} writes rows into its
   * database, exactly-once with a window's commit.
   */
  SQL_TRANSACTIONS,

  /**
   * A stream may have more than one partition ({@link StoreBackend#partitions(String)}). Without it
   * every stream has exactly partition 0.
   */
  PARTITIONS,

  /**
   * {@link dev.sluice.Retention#untilConsumed()} is enforced: records go once every group read
   * them.
   */
  RETENTION_UNTIL_CONSUMED,

  /** {@link StoreBackend#clear(String)} empties a stream and restarts its offsets at 0. */
  CLEAR
}
