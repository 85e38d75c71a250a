/**
 * The embedded store on SQLite: one WAL database per directory, a group-committing writer thread
 * per process, and an OS file lock that queues writer processes. Not API.
 */
package dev.sluice.internal.sqlite;
