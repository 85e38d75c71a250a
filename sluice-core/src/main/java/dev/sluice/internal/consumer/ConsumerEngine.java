package dev.sluice.internal.consumer;

import dev.sluice.GroupMetadata;
import dev.sluice.StoreException;
import dev.sluice.spi.Scheduler;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.GroupRow;
import dev.sluice.spi.consumer.StreamRow;
import dev.sluice.spi.consumer.WindowRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared consumer engine of one open store: its consumer tables, what this process saw of other
 * workers' claims (shared by every job, so a lease is judged from the first sighting), and the
 * periodic maintenance on the store's scheduler. Lives as long as the store is open.
 */
public final class ConsumerEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerEngine.class);

  /** How often retention and group expiry run. */
  public static final Duration MAINTENANCE_PERIOD = Duration.ofSeconds(1);

  private final ConsumerTables tables;
  private final Map<String, Map<Long, Coordinator.Seen>> observed = new ConcurrentHashMap<>();
  private Scheduler.Cancellable maintenance;
  private boolean closed;

  private final ToIntFunction<String> partitions;

  /**
   * The engine of a store's consumer tables; {@code partitions} tells how many partitions a stream
   * has.
   */
  public ConsumerEngine(ConsumerTables tables, ToIntFunction<String> partitions) {
    this.tables = tables;
    this.partitions = partitions;
  }

  /** The store's consumer tables. */
  public ConsumerTables tables() {
    return tables;
  }

  /** What this process saw of the claims of a group's partition in a stream incarnation. */
  Map<Long, Coordinator.Seen> observed(long streamId, String group, int partition) {
    return observed.computeIfAbsent(
        streamId + "/" + group + "/" + partition, k -> new ConcurrentHashMap<>());
  }

  /**
   * Starts enforcing retention and removing expired groups every {@link #MAINTENANCE_PERIOD} of the
   * store's scheduler, if not started yet.
   */
  public synchronized void startMaintenance() {
    if (maintenance != null || closed) {
      return;
    }
    maintenance =
        tables
            .scheduler()
            .every(
                "maintenance " + tables.url(),
                MAINTENANCE_PERIOD,
                () -> {
                  try {
                    Maintenance.run(tables);
                  } catch (StoreException e) {
                    if (!isClosed()) {
                      throw e;
                    }
                  }
                });
    LOG.debug("maintenance of {} runs every {}", tables.url(), MAINTENANCE_PERIOD);
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** The groups of a stream, summed over its partitions, by name. */
  public List<GroupMetadata> groups(String stream) {
    return tables.read(
        tx -> {
          Map<String, GroupMetadata> out = new TreeMap<>();
          for (int p = 0; ; p++) {
            StreamRow s = tx.stream(stream, p);
            if (s == null) {
              break;
            }
            for (GroupRow g : tx.groups(s.id())) {
              if (g.partition() != p) {
                continue;
              }
              int inFlight = 0;
              for (WindowRow w : tx.windows(s.id(), g.name(), p)) {
                if (!w.finished()) {
                  inFlight++;
                }
              }
              long lag = Math.max(0, s.nextOffset() - Math.max(g.committed(), s.firstOffset()));
              GroupMetadata m =
                  new GroupMetadata(
                      g.name(),
                      g.committed(),
                      g.cursor(),
                      lag,
                      g.lastRead(),
                      g.done(),
                      g.failed(),
                      g.dead(),
                      g.lost(),
                      inFlight);
              out.merge(g.name(), m, ConsumerEngine::sum);
            }
            if (p + 1 >= partitionsOf(stream)) {
              break;
            }
          }
          return new ArrayList<>(out.values());
        });
  }

  private int partitionsOf(String stream) {
    return partitions.applyAsInt(stream);
  }

  /** Two partitions' figures of one group as one: offsets of the first, counts summed. */
  private static GroupMetadata sum(GroupMetadata a, GroupMetadata b) {
    return new GroupMetadata(
        a.name(),
        a.committed(),
        a.cursor(),
        a.lag() + b.lag(),
        a.lastRead().isAfter(b.lastRead()) ? a.lastRead() : b.lastRead(),
        a.windowsDone() + b.windowsDone(),
        a.windowsFailed() + b.windowsFailed(),
        a.windowsDeadLettered() + b.windowsDeadLettered(),
        a.recordsLostToRetention() + b.recordsLostToRetention(),
        a.inFlight() + b.inFlight());
  }

  /** Stops maintenance and forgets what was observed. */
  @Override
  public synchronized void close() {
    closed = true;
    if (maintenance != null) {
      maintenance.cancel();
      maintenance = null;
    }
    observed.clear();
  }
}
