/**
 * Consumer tables in a SQL database, written once for every SQL backend: {@link
 * dev.sluice.spi.sql.SqlConsumerTx} holds the SQL of the {@code groups} and {@code windows} tables
 * and the {@link dev.sluice.spi.sql.SqlDialect} says how a database spells what differs. The
 * embedded SQLite store uses it; a PostgreSQL store reuses it.
 */
package dev.sluice.spi.sql;
