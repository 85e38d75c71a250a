package dev.sluice.internal.consumer;

import dev.sluice.Retention;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerTx;
import dev.sluice.spi.consumer.GroupRow;
import dev.sluice.spi.consumer.StreamRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention and removes expired groups, in bounded transactions. Run by the store's
 * scheduler every {@link ConsumerEngine#MAINTENANCE_PERIOD}; safe to run from several processes at
 * once.
 */
final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  /** Records deleted per transaction. */
  static final int BATCH = 5_000;

  private Maintenance() {}

  /** One pass over every stream partition; returns how many records it deleted. */
  static long run(ConsumerTables tables) {
    // One read finds the streams with work; most passes end here.
    List<StreamRow> expiring = new ArrayList<>();
    List<StreamRow> retaining = new ArrayList<>();
    tables.read(
        tx -> {
          for (StreamRow s : tx.streams()) {
            for (GroupRow g : tx.groups(s.id())) {
              if (expired(tx, g)) {
                expiring.add(s);
                break;
              }
            }
            if (s.retention().kind() != Retention.Kind.FOREVER
                && floorOf(tx, s) > s.firstOffset()) {
              retaining.add(s);
            }
          }
          return null;
        });
    for (StreamRow s : expiring) {
      expireGroups(tables, s);
    }
    long deleted = 0;
    for (StreamRow s : retaining) {
      while (true) {
        int n = tables.write(tx -> deleteSome(tx, s));
        deleted += n;
        if (n < BATCH) {
          break;
        }
      }
    }
    return deleted;
  }

  private static boolean expired(ConsumerTx tx, GroupRow g) {
    Duration idle = Duration.between(g.lastRead(), tx.now());
    return !g.expiry().isZero() && idle.compareTo(g.expiry()) > 0;
  }

  private static void expireGroups(ConsumerTables tables, StreamRow s) {
    tables.write(
        tx -> {
          StreamRow now = tx.stream(s.name(), s.partition());
          if (now == null || now.id() != s.id()) {
            return null;
          }
          for (GroupRow g : tx.groups(s.id())) {
            if (expired(tx, g)) {
              LOG.warn(
                  "group {} of stream {} was not read for {} (expiry {}); removing it so it no"
                      + " longer holds records",
                  g.name(),
                  s.name(),
                  Duration.between(g.lastRead(), tx.now()),
                  g.expiry());
              tx.deleteGroup(s.id(), g.name());
            }
          }
          return null;
        });
  }

  private static long floorOf(ConsumerTx tx, StreamRow s) {
    Retention r = s.retention();
    return switch (r.kind()) {
      case FOREVER -> s.firstOffset();
      case UNTIL_CONSUMED -> {
        long min = Long.MAX_VALUE;
        for (GroupRow g : tx.groups(s.id())) {
          if (g.partition() == s.partition()) {
            min = Math.min(min, g.committed());
          }
        }
        yield min == Long.MAX_VALUE ? s.firstOffset() : min; // nobody registered: nothing consumed
      }
      case TIME -> {
        Instant oldest = tx.now().minus(r.maxAge());
        yield tx.firstAtOrAfter(s.id(), s.partition(), s.firstOffset(), oldest);
      }
      case COUNT -> s.nextOffset() - r.maxCount();
    };
  }

  private static int deleteSome(ConsumerTx tx, StreamRow seen) {
    StreamRow s = tx.stream(seen.name(), seen.partition());
    if (s == null || s.id() != seen.id()) {
      return 0;
    }
    long floor = floorOf(tx, s);
    if (floor <= s.firstOffset()) {
      return 0;
    }
    int n = tx.deleteBelow(s.id(), s.partition(), floor, BATCH);
    long first = tx.stream(s.name(), s.partition()).firstOffset();
    for (GroupRow g : tx.groups(s.id())) {
      if (g.partition() == s.partition() && g.cursor() < first) {
        long lost = first - g.cursor();
        LOG.warn(
            "group {} of stream {} lost {} unread records to retention {}; it resumes at {}",
            g.name(),
            s.name(),
            lost,
            s.retention(),
            first);
        tx.putGroup(
            g.withLost(g.lost() + lost)
                .withCursor(first)
                .withCommitted(
                    Coordinator.committed(tx.windows(s.id(), g.name(), s.partition()), first)));
      }
    }
    return n;
  }
}
