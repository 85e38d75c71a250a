package dev.sluice.internal.consumer;

import dev.sluice.StartFrom;
import dev.sluice.StreamChangedException;
import dev.sluice.WindowBounds;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerTx;
import dev.sluice.spi.consumer.GroupRow;
import dev.sluice.spi.consumer.StreamRow;
import dev.sluice.spi.consumer.WindowRow;
import dev.sluice.spi.consumer.WindowState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's view of a group's window table on one partition: registers the group, claims windows
 * (new ones, or ones whose worker died, let its lease lapse or released them), commits, fails and
 * releases them. The rules of DESIGN.md's "Delivery semantics" live here, once, over any backend's
 * {@link ConsumerTables}.
 *
 * <p>Every change is one write transaction that first checks what it changes is as the caller saw
 * it: a window's token for commits (fencing), the group's cursor for new claims (so two workers,
 * threads or processes, never claim the same range).
 */
public final class Coordinator {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final int MAX_CONFLICTS = 50;

  private final ConsumerEngine engine;
  private final ConsumerTables tables;
  private final String stream;
  private final int partition;
  private final String group;
  private final String jobOwner;
  private final long leaseNanos;
  private final boolean emitEmpty;
  private Map<Long, Seen> observed = Map.of();
  private String incarnation;

  /** What a window looked like when this process last saw it change, on the scheduler's time. */
  record Seen(long token, long heartbeat, long since) {}

  /** What a write transaction reads first: the stream, the group and its windows. */
  private record State(StreamRow stream, GroupRow group, List<WindowRow> windows) {}

  /** A group's state as one snapshot read. */
  public record Snapshot(StreamRow stream, GroupRow group, List<WindowRow> windows, Instant now) {}

  /**
   * A window claimed by a worker.
   *
   * @param seq the window's sequence in its group
   * @param first the first offset
   * @param last the last offset ({@code first - 1} when empty)
   * @param start the window's start
   * @param end the window's end
   * @param token the fencing token of this claim
   * @param attempt which claim of the window this is
   * @param owner the claiming worker
   */
  public record Claim(
      long seq,
      long first,
      long last,
      Instant start,
      Instant end,
      long token,
      int attempt,
      String owner) {
    /** Whether the window holds no record. */
    public boolean isEmpty() {
      return last < first;
    }

    static Claim of(WindowRow w) {
      return new Claim(
          w.seq(),
          w.firstOffset(),
          w.lastOffset(),
          w.start(),
          w.end(),
          w.token(),
          w.attempt(),
          w.owner());
    }
  }

  /** What a claim attempt found. */
  private enum Outcome {
    CONFLICT,
    SKIPPED
  }

  public Coordinator(
      ConsumerEngine engine,
      String stream,
      int partition,
      String group,
      String jobId,
      Duration lease,
      boolean emitEmpty) {
    this.engine = engine;
    this.tables = engine.tables();
    this.stream = stream;
    this.partition = partition;
    this.group = group;
    this.jobOwner = tables.processId() + "/" + jobId;
    this.leaseNanos = lease.toNanos();
    this.emitEmpty = emitEmpty;
  }

  private State load(ConsumerTx tx) {
    StreamRow s = tx.stream(stream, partition);
    check(s);
    return new State(
        s,
        tx.group(s.id(), group, partition),
        new ArrayList<>(tx.windows(s.id(), group, partition)));
  }

  /** The owner name of one of this job's workers. */
  public String owner(int worker) {
    return jobOwner + "/" + worker;
  }

  /** Creates the stream and the group if absent; returns the group's row. */
  public GroupRow register(StartFrom start, Duration expiry) {
    return tables.write(
        tx -> {
          StreamRow s = tx.stream(stream, partition);
          if (s == null) {
            tx.append(stream, List.of());
            s = tx.stream(stream, partition);
          }
          incarnation = s.incarnation();
          observed = engine.observed(s.id(), group, partition);
          GroupRow g = tx.group(s.id(), group, partition);
          Instant now = tx.now();
          if (g == null) {
            g = GroupRow.register(s.id(), group, partition, startOffset(tx, s, start), now, expiry);
            LOG.info("group {} of stream {} registered at offset {}", group, stream, g.cursor());
          }
          g = g.withLastRead(now).withExpiry(expiry);
          tx.putGroup(g);
          return g;
        });
  }

  private static long startOffset(ConsumerTx tx, StreamRow s, StartFrom start) {
    return switch (start.kind()) {
      case EARLIEST -> s.firstOffset();
      case LATEST -> s.nextOffset();
      case OFFSET -> Math.max(start.offset(), s.firstOffset());
      case TIME -> tx.firstAtOrAfter(s.id(), s.partition(), s.firstOffset(), start.time());
    };
  }

  /** The group's state now. */
  public Snapshot snapshot() {
    return tables.read(
        tx -> {
          StreamRow s = tx.stream(stream, partition);
          check(s);
          GroupRow g = tx.group(s.id(), group, partition);
          if (g == null) {
            throw new StreamChangedException(
                "group " + group + " of stream " + stream + " was removed while it ran");
          }
          return new Snapshot(s, g, tx.windows(s.id(), group, partition), tx.now());
        });
  }

  private void check(StreamRow s) {
    if (s == null || !s.incarnation().equals(incarnation)) {
      throw new StreamChangedException(
          "stream "
              + stream
              + " was "
              + (s == null ? "dropped" : "cleared")
              + " while group "
              + group
              + " consumed it; the consumer stops instead of starting over");
    }
  }

  /**
   * A window its worker finished whose commit rides on the worker's next claim transaction, so a
   * busy worker pays one write transaction per window instead of two.
   */
  public static final class Finished {
    private final Claim claim;
    private boolean done;
    private boolean committed;

    public Finished(Claim claim) {
      this.claim = claim;
    }

    /** Whether the commit was attempted. */
    public boolean done() {
      return done;
    }

    /** Whether it committed (false: the lease was lost). */
    public boolean committed() {
      return committed;
    }

    public Claim claim() {
      return claim;
    }
  }

  /**
   * Claims the next window for {@code owner}: first a window that needs taking over, then, if
   * {@code decide} finds one ready in the snapshot, a new one. Returns null if none is ready.
   */
  public Claim claim(String owner, Function<Snapshot, Optional<WindowBounds>> decide) {
    return claim(owner, decide, null);
  }

  /**
   * As {@link #claim(String, Function)}, committing {@code finished} (if not null) in the same
   * transaction; it is committed, or found lost, by the time this returns.
   */
  public Claim claim(
      String owner, Function<Snapshot, Optional<WindowBounds>> decide, Finished finished) {
    return claim(owner, decide, finished, null);
  }

  /**
   * As {@link #claim(String, Function, Finished)}, telling {@code recheck} (if not null) when a
   * window that was not takeable may become takeable by time alone.
   */
  Claim claim(
      String owner,
      Function<Snapshot, Optional<WindowBounds>> decide,
      Finished finished,
      Recheck recheck) {
    try {
      for (int conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
        Snapshot snap = snapshot();
        WindowRow takeable = firstTakeable(snap, recheck);
        if (takeable != null) {
          Claim c =
              writeWith(
                  finished,
                  tx -> {
                    State st = load(tx);
                    flush(tx, st, finished);
                    return takeOver(tx, st, takeable, owner);
                  });
          if (c != null) {
            return c;
          }
          continue;
        }
        Optional<WindowBounds> bounds = decide.apply(snap);
        if (bounds.isEmpty()) {
          return null;
        }
        Object result =
            writeWith(
                finished,
                tx -> {
                  State st = load(tx);
                  flush(tx, st, finished);
                  return claimNew(tx, st, snap.group().cursor(), bounds.get(), owner);
                });
        if (result instanceof Claim c) {
          return c;
        }
      }
      if (recheck != null) {
        recheck.soon(); // no commit of ours may follow to wake the caller
      }
      return null; // busy with other claimers; the caller comes back
    } finally {
      if (finished != null && !finished.done) {
        tables.write(
            tx -> {
              flush(tx, load(tx), finished);
              return null;
            });
      }
    }
  }

  /** A write whose rollback also undoes a flush done inside it. */
  private <R> R writeWith(Finished finished, ConsumerTables.Work<R> work) {
    try {
      return tables.write(work);
    } catch (RuntimeException e) {
      if (finished != null) {
        finished.done = false; // rolled back with the transaction: the finally commits it alone
      }
      throw e;
    }
  }

  private void flush(ConsumerTx tx, State st, Finished finished) throws Exception {
    if (finished != null && !finished.done) {
      finished.committed = commitIn(tx, st, finished.claim, null, false);
      finished.done = true;
    }
  }

  private WindowRow firstTakeable(Snapshot snap, Recheck recheck) {
    long tick = tables.scheduler().nanoTime();
    WindowRow found = null;
    for (WindowRow w : snap.windows()) {
      if (found == null && w.state() == WindowState.OPEN && !w.notBefore().isAfter(snap.now())) {
        found = w;
      } else if (w.state() == WindowState.OPEN && recheck != null) {
        recheck.at(w.notBefore()); // a retry's backoff ends
      } else if (w.state() == WindowState.CLAIMED
          && w.owner() != null
          && !w.owner().startsWith(jobOwner + "/")) {
        if (recheck != null) {
          recheck.soon(); // its lease may lapse, its process may die
        }
        String process = w.owner().substring(0, Math.max(0, w.owner().indexOf('/')));
        if (!tables.isAlive(process)) {
          if (found == null) {
            LOG.info(
                "window {} of {}: its worker's process {} is gone; taking it over",
                id(w.seq()),
                stream,
                process);
            found = w;
          }
          continue;
        }
        Seen seen = observed.get(w.seq());
        if (seen == null || seen.token() != w.token() || seen.heartbeat() != w.heartbeat()) {
          observed.put(w.seq(), new Seen(w.token(), w.heartbeat(), tick));
        } else if (tick - seen.since() > leaseNanos && found == null) {
          LOG.warn(
              "window {} of {}: worker {} let its lease lapse; taking it over",
              id(w.seq()),
              stream,
              w.owner());
          found = w;
        }
      }
    }
    if (observed.size() > 4 * snap.windows().size() + 16) {
      observed.keySet().removeIf(seq -> snap.windows().stream().noneMatch(w -> w.seq() == seq));
    }
    return found;
  }

  private Claim takeOver(ConsumerTx tx, State st, WindowRow seen, String owner) {
    GroupRow g = st.group();
    WindowRow w = find(st.windows(), seen.seq());
    if (w == null || w.state() != seen.state() || w.token() != seen.token()) {
      return null; // somebody else changed it first
    }
    w =
        w.withState(WindowState.CLAIMED)
            .withOwner(owner)
            .withToken(g.nextToken())
            .withAttempt(w.attempt() + 1)
            .withHeartbeat(0)
            .withNotBefore(Instant.EPOCH);
    tx.putWindow(w);
    tx.putGroup(g.withNextToken(g.nextToken() + 1).withLastRead(tx.now()));
    observed.remove(w.seq());
    return Claim.of(w);
  }

  private Object claimNew(ConsumerTx tx, State st, long cursor, WindowBounds b, String owner) {
    StreamRow s = st.stream();
    GroupRow g = st.group();
    if (g == null || g.cursor() != cursor) {
      return Outcome.CONFLICT;
    }
    WindowResolver.Resolved r =
        WindowResolver.resolve(
            b,
            cursor,
            ts -> tx.firstAtOrAfter(s.id(), partition, cursor, Instant.ofEpochMilli(ts)));
    if (b.isTime()) {
      tx.raiseFloor(s.id(), partition, b.end());
    } else if (b.lastOffset() >= s.nextOffset()) {
      throw new IllegalStateException(
          "the window emitter returned offsets up to "
              + b.lastOffset()
              + " but the stream ends at "
              + (s.nextOffset() - 1));
    }
    // An empty window's row keeps the cursor as its first offset, for the committed offset.
    long first = r.isEmpty() ? cursor : r.firstOffset();
    long last = r.isEmpty() ? cursor - 1 : r.lastOffset();
    List<WindowRow> windows = st.windows();
    g = g.withCursor(r.nextCursor()).withLast(b).withLastRead(tx.now());
    if (last < first && !emitEmpty) {
      tx.putGroup(g.withCommitted(committed(windows, g.cursor())));
      return Outcome.SKIPPED;
    }
    WindowRow w =
        new WindowRow(
            s.id(),
            group,
            partition,
            g.nextSeq(),
            first,
            last,
            b.start(),
            b.end(),
            WindowState.CLAIMED,
            owner,
            g.nextToken(),
            1,
            0,
            Instant.EPOCH);
    tx.putWindow(w);
    windows.add(w);
    tx.putGroup(
        g.withNextSeq(g.nextSeq() + 1)
            .withNextToken(g.nextToken() + 1)
            .withCommitted(committed(windows, g.cursor())));
    return Claim.of(w);
  }

  private static WindowRow find(List<WindowRow> windows, long seq) {
    for (WindowRow w : windows) {
      if (w.seq() == seq) {
        return w;
      }
    }
    return null;
  }

  private static int indexOf(List<WindowRow> windows, long seq) {
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i).seq() == seq) {
        return i;
      }
    }
    return -1;
  }

  /** The first offset of the lowest unfinished window, or the cursor if none is unfinished. */
  static long committed(List<WindowRow> windows, long cursor) {
    long min = cursor;
    for (WindowRow w : windows) {
      if (!w.finished()) {
        min = Math.min(min, w.firstOffset());
      }
    }
    return min;
  }

  /** Work done in a commit's transaction: a transactional sink's output, dead letters. */
  @FunctionalInterface
  public interface CommitWork {
    void apply(ConsumerTx tx) throws Exception;
  }

  /**
   * Finishes a window, with {@code work} in the same transaction, if {@code claim} still holds it;
   * returns false (and changes nothing) if its lease was lost. Exceptions of the work roll back.
   */
  public boolean commit(Claim claim, CommitWork work, boolean dead) {
    return tables.write(tx -> commitIn(tx, load(tx), claim, work, dead));
  }

  private boolean commitIn(ConsumerTx tx, State st, Claim claim, CommitWork work, boolean dead)
      throws Exception {
    StreamRow s = st.stream();
    GroupRow g = st.group();
    List<WindowRow> windows = st.windows();
    int at = indexOf(windows, claim.seq());
    if (at < 0 || !holds(windows.get(at), claim)) {
      return false;
    }
    if (work != null) {
      work.apply(tx);
    }
    WindowRow w =
        windows.get(at).withState(dead ? WindowState.DEAD : WindowState.DONE).withOwner(null);
    windows.set(at, w);
    tx.putWindow(w);
    g = dead ? g.withDead(g.dead() + 1) : g.withDone(g.done() + 1);
    // Forget the finished windows at the bottom; finished ones above an unfinished one stay so
    // they never run again.
    while (!windows.isEmpty() && windows.get(0).finished()) {
      tx.deleteWindow(s.id(), group, partition, windows.remove(0).seq());
    }
    tx.putGroup(g.withLastRead(tx.now()).withCommitted(committed(windows, g.cursor())));
    return true;
  }

  private static boolean holds(WindowRow w, Claim claim) {
    return w != null && w.state() == WindowState.CLAIMED && w.token() == claim.token();
  }

  /** Counts a failed attempt; returns false if the claim no longer holds the window. */
  public boolean failed(Claim claim) {
    return tables.write(
        tx -> {
          State st = load(tx);
          GroupRow g = st.group();
          if (!holds(find(st.windows(), claim.seq()), claim)) {
            return false;
          }
          tx.putGroup(g.withFailed(g.failed() + 1));
          return true;
        });
  }

  /** Claims the window again for the next attempt by the same worker; null if lost. */
  public Claim again(Claim claim) {
    return tables.write(
        tx -> {
          State st = load(tx);
          GroupRow g = st.group();
          WindowRow w = find(st.windows(), claim.seq());
          if (!holds(w, claim)) {
            return null;
          }
          w = w.withToken(g.nextToken()).withAttempt(w.attempt() + 1).withHeartbeat(0);
          tx.putWindow(w);
          tx.putGroup(g.withNextToken(g.nextToken() + 1));
          return Claim.of(w);
        });
  }

  /** Gives a window back, to be claimed again from {@code notBefore} (store clock) on. */
  public void release(Claim claim, Instant notBefore) {
    tables.write(
        tx -> {
          StreamRow s = tx.stream(stream, partition);
          if (s == null || !s.incarnation().equals(incarnation)) {
            return null;
          }
          WindowRow w = find(tx.windows(s.id(), group, partition), claim.seq());
          if (holds(w, claim)) {
            tx.putWindow(w.withState(WindowState.OPEN).withOwner(null).withNotBefore(notBefore));
          }
          return null;
        });
  }

  /** Gives back every window this job still claims; returns how many. */
  public int releaseAll() {
    return tables.write(
        tx -> {
          StreamRow s = tx.stream(stream, partition);
          if (s == null || !s.incarnation().equals(incarnation)) {
            return 0;
          }
          int n = 0;
          for (WindowRow w : tx.windows(s.id(), group, partition)) {
            if (w.state() == WindowState.CLAIMED
                && w.owner() != null
                && w.owner().startsWith(jobOwner + "/")) {
              tx.putWindow(
                  w.withState(WindowState.OPEN).withOwner(null).withNotBefore(Instant.EPOCH));
              n++;
            }
          }
          return n;
        });
  }

  /** Renews the leases of this job's claims and marks the group as read. */
  public void heartbeat() {
    tables.write(
        tx -> {
          StreamRow s = tx.stream(stream, partition);
          check(s);
          tx.heartbeat(jobOwner + "/");
          GroupRow g = tx.group(s.id(), group, partition);
          if (g != null) {
            tx.putGroup(g.withLastRead(tx.now()));
          }
          return null;
        });
  }

  /** A window's id: group, partition and sequence. */
  public String id(long seq) {
    return group + "/" + partition + "/" + seq;
  }

  /** The partition this coordinator claims windows of. */
  public int partition() {
    return partition;
  }
}
