/**
 * The PostgreSQL store behind {@code postgresql://} URLs: streams (offsets assigned under the
 * stream row's lock, group commit), consumer tables for the shared engine, liveness by session
 * advisory locks and wake-ups by LISTEN/NOTIFY. Implementation; not an API.
 */
package dev.sluice.jdbc.internal;
