/**
 * Sluice on SQL databases: {@link dev.sluice.jdbc.JdbcSink} writes results into a table of any JDBC
 * database. Having this module on the class path also installs the PostgreSQL store: open {@code
 * postgresql://host:port/db?user=…} with {@link dev.sluice.Sluice#open(String)} to share streams
 * and consumer groups between processes on many machines.
 */
package dev.sluice.jdbc;
