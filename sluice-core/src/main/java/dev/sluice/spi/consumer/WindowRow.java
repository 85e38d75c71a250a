package dev.sluice.spi.consumer;

import java.time.Instant;
import java.util.Objects;

/**
 * A window's row: one claimed range of a group's partition. Immutable: a transaction reads it,
 * derives a changed copy with the {@code withX} methods and puts it back.
 *
 * @param streamId the stream incarnation's id
 * @param group the group's name
 * @param partition the partition
 * @param seq the window's sequence in its group and partition, from 1
 * @param firstOffset the first offset; for an empty time window the cursor at its claim
 * @param lastOffset the last offset; {@code firstOffset - 1} for an empty window
 * @param start the window's start
 * @param end the window's end
 * @param state where the window stands
 * @param owner the claiming worker ({@code process/job/worker}) while claimed, else {@code null}
 * @param token the fencing token of the current claim
 * @param attempt how many times the window was claimed
 * @param heartbeat raised by each lease renewal of its owner
 * @param notBefore an open window is not claimed again before this (a retry's backoff)
 */
public record WindowRow(
    long streamId,
    String group,
    int partition,
    long seq,
    long firstOffset,
    long lastOffset,
    Instant start,
    Instant end,
    WindowState state,
    String owner,
    long token,
    int attempt,
    long heartbeat,
    Instant notBefore) {
  /** Checks the fields. */
  public WindowRow {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(notBefore, "notBefore");
  }

  /** Whether the window is finished (done or dead). */
  public boolean finished() {
    return state.finished();
  }

  /** Whether the window holds no record. */
  public boolean isEmpty() {
    return lastOffset < firstOffset;
  }

  /** This row with another {@code state}. */
  public WindowRow withState(WindowState state) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        state,
        this.owner,
        this.token,
        this.attempt,
        this.heartbeat,
        this.notBefore);
  }

  /** This row with another {@code owner}. */
  public WindowRow withOwner(String owner) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        this.state,
        owner,
        this.token,
        this.attempt,
        this.heartbeat,
        this.notBefore);
  }

  /** This row with another {@code token}. */
  public WindowRow withToken(long token) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        this.state,
        this.owner,
        token,
        this.attempt,
        this.heartbeat,
        this.notBefore);
  }

  /** This row with another {@code attempt}. */
  public WindowRow withAttempt(int attempt) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        this.state,
        this.owner,
        this.token,
        attempt,
        this.heartbeat,
        this.notBefore);
  }

  /** This row with another {@code heartbeat}. */
  public WindowRow withHeartbeat(long heartbeat) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        this.state,
        this.owner,
        this.token,
        this.attempt,
        heartbeat,
        this.notBefore);
  }

  /** This row with another {@code notBefore}. */
  public WindowRow withNotBefore(Instant notBefore) {
    return new WindowRow(
        this.streamId,
        this.group,
        this.partition,
        this.seq,
        this.firstOffset,
        this.lastOffset,
        this.start,
        this.end,
        this.state,
        this.owner,
        this.token,
        this.attempt,
        this.heartbeat,
        notBefore);
  }
}
