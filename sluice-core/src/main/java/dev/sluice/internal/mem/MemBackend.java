package dev.sluice.internal.mem;

import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.StreamMetadata;
import dev.sluice.internal.base.Partitions;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Entry;
import dev.sluice.spi.Scheduler;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerTx;
import dev.sluice.spi.consumer.ConsumerWorkException;
import dev.sluice.spi.consumer.GroupRow;
import dev.sluice.spi.consumer.StreamRow;
import dev.sluice.spi.consumer.Wakeups;
import dev.sluice.spi.consumer.WindowRow;
import dev.sluice.spi.consumer.WindowState;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Streams held in memory, with the same rules as the embedded store: dense offsets, commit-time
 * timestamps that never decrease, atomic batches, incarnations. One lock guards everything.
 */
final class MemBackend implements StoreBackend {
  private static final Set<Capability> CAPABILITIES =
      Collections.unmodifiableSet(
          EnumSet.of(
              Capability.CONSUMER_ENGINE, Capability.RETENTION_UNTIL_CONSUMED, Capability.CLEAR));
  private final String url;
  private final Clock clock;
  private final TreeMap<String, MemStream> streams = new TreeMap<>();
  private boolean closed;
  private long nextStreamId = 1;
  private final Map<Long, TreeMap<String, GroupRow>> groups = new HashMap<>();
  private final Map<Long, Map<String, TreeMap<Long, WindowRow>>> windows = new HashMap<>();
  private final Wakeups wakeups = new Wakeups();
  private final Scheduler scheduler;
  private final MemTables tables = new MemTables();

  MemBackend(String url, Clock clock, Scheduler scheduler) {
    this.url = url;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public CompletableFuture<Long> append(String stream, List<Entry> entries) {
    long first;
    synchronized (this) {
      ensureOpen();
      first = streamFor(stream).add(entries, clock.millis());
    }
    wakeups.bump();
    return CompletableFuture.completedFuture(first);
  }

  @Override
  public synchronized StreamMetadata create(String stream) {
    ensureOpen();
    return streamFor(stream).metadata();
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public synchronized List<Record<byte[]>> read(
      String stream, int partition, long fromOffset, int max) {
    ensureOpen();
    Partitions.checkSingle(url, stream, partition);
    MemStream s = streams.get(stream);
    if (s == null) {
      return List.of();
    }
    long from = Math.max(fromOffset, s.firstOffset);
    if (from >= s.nextOffset) {
      return List.of();
    }
    int start = (int) (from - s.firstOffset);
    int end = (int) Math.min(s.records.size(), (long) start + max);
    return new ArrayList<>(s.records.subList(start, end));
  }

  @Override
  public synchronized List<String> streams() {
    ensureOpen();
    return new ArrayList<>(streams.keySet());
  }

  @Override
  public synchronized Optional<StreamMetadata> metadata(String stream) {
    ensureOpen();
    return Optional.ofNullable(streams.get(stream)).map(MemStream::metadata);
  }

  @Override
  public synchronized boolean drop(String stream) {
    ensureOpen();
    MemStream old = streams.remove(stream);
    forget(old);
    return old != null;
  }

  private void forget(MemStream old) {
    if (old != null) {
      groups.remove(old.id);
      windows.remove(old.id);
    }
  }

  @Override
  public synchronized void clear(String stream) {
    ensureOpen();
    MemStream old = streams.remove(stream);
    forget(old);
    MemStream fresh = streamFor(stream);
    if (old != null) {
      fresh.retention = old.retention;
    }
  }

  @Override
  public synchronized void retention(String stream, Retention retention) {
    ensureOpen();
    streamFor(stream).retention = retention;
  }

  @Override
  public synchronized void close() {
    closed = true;
    streams.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("store " + url + " is closed");
    }
  }

  private MemStream streamFor(String name) {
    return streams.computeIfAbsent(name, n -> new MemStream(nextStreamId++, n, clock.millis()));
  }

  private static final class MemStream {
    final long id;
    final String name;
    final String incarnation = UUID.randomUUID().toString();
    final long created;
    final List<Record<byte[]>> records = new ArrayList<>();
    long firstOffset;
    long nextOffset;
    long tsFloor;
    Long lastAppend;
    Retention retention = Retention.forever();

    MemStream(long id, String name, long created) {
      this.id = id;
      this.name = name;
      this.created = created;
    }

    /** Appends at the next offsets, stamped {@code max(now, floor)}; returns the first offset. */
    long add(List<Entry> entries, long now) {
      long ts = Math.max(now, tsFloor);
      long first = nextOffset;
      for (Entry e : entries) {
        records.add(
            new Record<>(name, 0, nextOffset++, Instant.ofEpochMilli(ts), e.key(), e.value()));
      }
      tsFloor = ts;
      lastAppend = ts;
      return first;
    }

    StreamMetadata metadata() {
      return new StreamMetadata(
          name,
          incarnation,
          Instant.ofEpochMilli(created),
          nextOffset - firstOffset,
          firstOffset,
          nextOffset,
          lastAppend == null ? null : Instant.ofEpochMilli(lastAppend),
          retention);
    }
  }

  // ---- consumer tables

  @Override
  public Optional<ConsumerTables> consumerTables() {
    return Optional.of(tables);
  }

  /** The consumer tables, under the backend's lock. */
  private final class MemTables implements ConsumerTables {
    @Override
    public String url() {
      return url;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public String processId() {
      return "mem";
    }

    @Override
    public boolean isAlive(String processId) {
      return true; // one process: its jobs release their claims when they stop
    }

    @Override
    public Wakeups wakeups() {
      return wakeups;
    }

    @Override
    public <T> T read(Work<T> work) {
      synchronized (MemBackend.this) {
        ensureOpen();
        try {
          return work.apply(new MemTx(clock.instant(), false));
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new ConsumerWorkException(e);
        }
      }
    }

    @Override
    public <T> T write(Work<T> work) {
      T result;
      synchronized (MemBackend.this) {
        ensureOpen();
        MemTx tx = new MemTx(clock.instant(), true);
        try {
          result = work.apply(tx);
        } catch (Exception e) {
          tx.rollback();
          if (e instanceof RuntimeException re) {
            throw re;
          }
          throw new ConsumerWorkException(e);
        }
      }
      wakeups.bump();
      return result;
    }
  }

  private StreamRow row(MemStream s) {
    return new StreamRow(
        s.id,
        s.name,
        s.incarnation,
        0,
        s.firstOffset,
        s.nextOffset,
        Instant.ofEpochMilli(s.tsFloor),
        s.retention);
  }

  private MemStream byId(long id) {
    for (MemStream s : streams.values()) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }

  /** The consumer tables inside one transaction; writes keep an undo log for rollback. */
  private final class MemTx implements ConsumerTx {
    private final Instant now;
    private final boolean writable;
    private final ArrayDeque<Runnable> undo = new ArrayDeque<>();

    MemTx(Instant now, boolean writable) {
      this.now = now;
      this.writable = writable;
    }

    void rollback() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }

    private void checkWritable() {
      if (!writable) {
        throw new IllegalStateException("a read snapshot cannot write");
      }
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public StreamRow stream(String name, int partition) {
      Partitions.checkSingle(url, name, partition);
      MemStream s = streams.get(name);
      return s == null ? null : row(s);
    }

    @Override
    public List<StreamRow> streams() {
      List<StreamRow> out = new ArrayList<>();
      for (MemStream s : MemBackend.this.streams.values()) {
        out.add(row(s));
      }
      return out;
    }

    @Override
    public GroupRow group(long streamId, String name, int partition) {
      Partitions.checkSingle(url, name, partition);
      return groups.getOrDefault(streamId, new TreeMap<>()).get(name);
    }

    @Override
    public List<GroupRow> groups(long streamId) {
      return new ArrayList<>(groups.getOrDefault(streamId, new TreeMap<>()).values());
    }

    @Override
    public void putGroup(GroupRow group) {
      checkWritable();
      Partitions.checkSingle(url, group.name(), group.partition());
      TreeMap<String, GroupRow> of = groups.computeIfAbsent(group.streamId(), k -> new TreeMap<>());
      GroupRow before = of.put(group.name(), group);
      undo.push(
          () -> {
            if (before == null) {
              of.remove(group.name());
            } else {
              of.put(group.name(), before);
            }
          });
    }

    @Override
    public void deleteGroup(long streamId, String name) {
      checkWritable();
      TreeMap<String, GroupRow> of = groups.get(streamId);
      GroupRow before = of == null ? null : of.remove(name);
      Map<String, TreeMap<Long, WindowRow>> ws = windows.get(streamId);
      TreeMap<Long, WindowRow> wbefore = ws == null ? null : ws.remove(name);
      undo.push(
          () -> {
            if (before != null) {
              of.put(name, before);
            }
            if (wbefore != null) {
              ws.put(name, wbefore);
            }
          });
    }

    private TreeMap<Long, WindowRow> windowsOf(long streamId, String group) {
      return windows
          .computeIfAbsent(streamId, k -> new HashMap<>())
          .computeIfAbsent(group, k -> new TreeMap<>());
    }

    @Override
    public List<WindowRow> windows(long streamId, String group, int partition) {
      Partitions.checkSingle(url, group, partition);
      Map<String, TreeMap<Long, WindowRow>> ws = windows.get(streamId);
      TreeMap<Long, WindowRow> of = ws == null ? null : ws.get(group);
      return of == null ? new ArrayList<>() : new ArrayList<>(of.values());
    }

    @Override
    public void putWindow(WindowRow window) {
      checkWritable();
      Partitions.checkSingle(url, window.group(), window.partition());
      TreeMap<Long, WindowRow> of = windowsOf(window.streamId(), window.group());
      WindowRow before = of.put(window.seq(), window);
      undo.push(
          () -> {
            if (before == null) {
              of.remove(window.seq());
            } else {
              of.put(window.seq(), before);
            }
          });
    }

    @Override
    public void deleteWindow(long streamId, String group, int partition, long seq) {
      checkWritable();
      TreeMap<Long, WindowRow> of = windowsOf(streamId, group);
      WindowRow before = of.remove(seq);
      if (before != null) {
        undo.push(() -> of.put(seq, before));
      }
    }

    @Override
    public int heartbeat(String ownerPrefix) {
      checkWritable();
      int n = 0;
      for (Map<String, TreeMap<Long, WindowRow>> ws : windows.values()) {
        for (TreeMap<Long, WindowRow> of : ws.values()) {
          for (Map.Entry<Long, WindowRow> e : of.entrySet()) {
            WindowRow w = e.getValue();
            if (w.state() == WindowState.CLAIMED
                && w.owner() != null
                && w.owner().startsWith(ownerPrefix)) {
              e.setValue(w.withHeartbeat(w.heartbeat() + 1));
              undo.push(() -> of.put(w.seq(), w));
              n++;
            }
          }
        }
      }
      return n;
    }

    @Override
    public long firstAtOrAfter(long streamId, int partition, long from, Instant time) {
      MemStream s = byId(streamId);
      if (s == null) {
        return from;
      }
      long ts = time.toEpochMilli();
      long lo = Math.max(from, s.firstOffset);
      long hi = s.nextOffset;
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        if (s.records.get((int) (mid - s.firstOffset)).timestamp().toEpochMilli() >= ts) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    @Override
    public void raiseFloor(long streamId, int partition, Instant time) {
      checkWritable();
      MemStream s = byId(streamId);
      long ts = time.toEpochMilli();
      if (s != null && s.tsFloor < ts) {
        long before = s.tsFloor;
        s.tsFloor = ts;
        undo.push(() -> s.tsFloor = before);
      }
    }

    @Override
    public long append(String stream, List<Entry> entries) {
      checkWritable();
      boolean existed = MemBackend.this.streams.containsKey(stream);
      MemStream s = streamFor(stream);
      long nextBefore = s.nextOffset;
      long floorBefore = s.tsFloor;
      Long lastBefore = s.lastAppend;
      int sizeBefore = s.records.size();
      long first = s.add(entries, now.toEpochMilli());
      undo.push(
          () -> {
            if (!existed) {
              MemBackend.this.streams.remove(stream);
              return;
            }
            s.records.subList(sizeBefore, s.records.size()).clear();
            s.nextOffset = nextBefore;
            s.tsFloor = floorBefore;
            s.lastAppend = lastBefore;
          });
      return first;
    }

    @Override
    public int deleteBelow(long streamId, int partition, long below, int max) {
      checkWritable();
      MemStream s = byId(streamId);
      if (s == null) {
        return 0;
      }
      long upTo = Math.min(Math.min(below, s.nextOffset), s.firstOffset + max);
      int n = (int) Math.max(0, upTo - s.firstOffset);
      if (n == 0) {
        return 0;
      }
      List<Record<byte[]>> removed = new ArrayList<>(s.records.subList(0, n));
      s.records.subList(0, n).clear();
      long firstBefore = s.firstOffset;
      s.firstOffset += n;
      undo.push(
          () -> {
            s.records.addAll(0, removed);
            s.firstOffset = firstBefore;
          });
      return n;
    }

    @Override
    public Optional<Connection> connection() {
      return Optional.empty();
    }
  }
}
