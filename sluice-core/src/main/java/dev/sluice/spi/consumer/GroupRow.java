package dev.sluice.spi.consumer;

import dev.sluice.WindowBounds;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A consumer group's row for one partition of a stream incarnation. Immutable: a transaction reads
 * it, derives a changed copy with the {@code withX} methods and puts it back.
 *
 * @param streamId the stream incarnation's id ({@link StreamRow#id()})
 * @param name the group's name
 * @param partition the partition
 * @param cursor the first offset not in a claimed window
 * @param committed the first offset not finished: every record below it is done or dead
 * @param nextSeq the sequence the group's next window gets
 * @param nextToken the fencing token the next claim gets
 * @param last the extent of the last window claimed, or {@code null} before the first
 * @param created when the group was registered
 * @param lastRead when a consumer of the group last claimed, committed or renewed a lease
 * @param expiry how long the group may go unread before maintenance removes it
 * @param done windows committed
 * @param failed failed attempts
 * @param dead windows finished with dead-lettered records
 * @param lost records deleted by retention before the group read them
 */
public record GroupRow(
    long streamId,
    String name,
    int partition,
    long cursor,
    long committed,
    long nextSeq,
    long nextToken,
    WindowBounds last,
    Instant created,
    Instant lastRead,
    Duration expiry,
    long done,
    long failed,
    long dead,
    long lost) {
  /** Checks the fields. */
  public GroupRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastRead, "lastRead");
    Objects.requireNonNull(expiry, "expiry");
  }

  /** A new group at {@code cursor}: nothing claimed, first sequence and token 1. */
  public static GroupRow register(
      long streamId, String name, int partition, long cursor, Instant now, Duration expiry) {
    return new GroupRow(
        streamId, name, partition, cursor, cursor, 1, 1, null, now, now, expiry, 0, 0, 0, 0);
  }

  /** This row with another {@code cursor}. */
  public GroupRow withCursor(long cursor) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code committed}. */
  public GroupRow withCommitted(long committed) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code nextSeq}. */
  public GroupRow withNextSeq(long nextSeq) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code nextToken}. */
  public GroupRow withNextToken(long nextToken) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code last}. */
  public GroupRow withLast(WindowBounds last) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code lastRead}. */
  public GroupRow withLastRead(Instant lastRead) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code expiry}. */
  public GroupRow withExpiry(Duration expiry) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        expiry,
        this.done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code done}. */
  public GroupRow withDone(long done) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        done,
        this.failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code failed}. */
  public GroupRow withFailed(long failed) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        failed,
        this.dead,
        this.lost);
  }

  /** This row with another {@code dead}. */
  public GroupRow withDead(long dead) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        dead,
        this.lost);
  }

  /** This row with another {@code lost}. */
  public GroupRow withLost(long lost) {
    return new GroupRow(
        this.streamId,
        this.name,
        this.partition,
        this.cursor,
        this.committed,
        this.nextSeq,
        this.nextToken,
        this.last,
        this.created,
        this.lastRead,
        this.expiry,
        this.done,
        this.failed,
        this.dead,
        lost);
  }
}
