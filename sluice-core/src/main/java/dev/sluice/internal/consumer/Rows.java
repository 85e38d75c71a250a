package dev.sluice.internal.consumer;

import dev.sluice.Retention;
import dev.sluice.WindowBounds;

/** The rows of a store's consumer tables, as every backend keeps them. */
public final class Rows {
  private Rows() {}

  /** Window states, as stored. */
  public static final int CLAIMED = 0;

  /** Released by its worker (stopped, or waiting to be retried): any worker may claim it. */
  public static final int OPEN = 1;

  /** Committed. */
  public static final int DONE = 2;

  /** Finished with dead-lettered records. */
  public static final int DEAD = 3;

  /**
   * A stream's row.
   *
   * @param id the incarnation's id
   * @param name the name
   * @param incarnation the incarnation
   * @param firstOffset the first offset held
   * @param nextOffset the next offset to assign
   * @param tsFloor the timestamp floor (millis)
   * @param retention the retention
   */
  public record StreamRow(
      long id,
      String name,
      String incarnation,
      long firstOffset,
      long nextOffset,
      long tsFloor,
      Retention retention) {}

  /** A consumer group's row. Mutable: read, change, put back in one transaction. */
  public static final class GroupRow {
    public long streamId;
    public String name;

    /** The first offset not in a claimed window. */
    public long cursor;

    /** The first offset not finished. */
    public long committed;

    public long nextSeq;
    public long nextToken;

    /** The last claimed window's bounds, or null. */
    public WindowBounds last;

    public long created;
    public long lastRead;
    public long expiryMillis;
    public long done;
    public long failed;
    public long dead;
    public long lost;

    /** A copy. */
    public GroupRow copy() {
      GroupRow g = new GroupRow();
      g.streamId = streamId;
      g.name = name;
      g.cursor = cursor;
      g.committed = committed;
      g.nextSeq = nextSeq;
      g.nextToken = nextToken;
      g.last = last;
      g.created = created;
      g.lastRead = lastRead;
      g.expiryMillis = expiryMillis;
      g.done = done;
      g.failed = failed;
      g.dead = dead;
      g.lost = lost;
      return g;
    }
  }

  /** A window's row. Mutable: read, change, put back in one transaction. */
  public static final class WindowRow {
    public long streamId;
    public String group;
    public long seq;

    /** First offset; for an empty window the cursor at its claim. */
    public long first;

    /** Last offset; {@code first - 1} for an empty window. */
    public long last;

    public long start;
    public long end;
    public int state;

    /** {@code process/job/worker}, or null when open. */
    public String owner;

    public long token;
    public int attempt;
    public long heartbeat;

    /** Store-clock millis before which an open window is not retried. */
    public long notBefore;

    /** Whether the window is finished. */
    public boolean finished() {
      return state == DONE || state == DEAD;
    }

    /** A copy. */
    public WindowRow copy() {
      WindowRow w = new WindowRow();
      w.streamId = streamId;
      w.group = group;
      w.seq = seq;
      w.first = first;
      w.last = last;
      w.start = start;
      w.end = end;
      w.state = state;
      w.owner = owner;
      w.token = token;
      w.attempt = attempt;
      w.heartbeat = heartbeat;
      w.notBefore = notBefore;
      return w;
    }
  }
}
