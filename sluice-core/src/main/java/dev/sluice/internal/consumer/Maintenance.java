package dev.sluice.internal.consumer;

import dev.sluice.Retention;
import dev.sluice.internal.consumer.Rows.GroupRow;
import dev.sluice.internal.consumer.Rows.StreamRow;
import dev.sluice.internal.consumer.Rows.WindowRow;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention and removes expired groups, in bounded transactions. Run in the background by
 * the store every second or so; safe to run from several processes at once.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  /** Records deleted per transaction. */
  public static final int BATCH = 5_000;

  private Maintenance() {}

  /** One pass over every stream; returns how many records it deleted. */
  public static long run(GroupTables tables) {
    // One read finds the streams with work; most passes end here.
    List<StreamRow> expiring = new java.util.ArrayList<>();
    List<StreamRow> retaining = new java.util.ArrayList<>();
    tables.read(
        tx -> {
          for (StreamRow s : tx.streams()) {
            for (GroupRow g : tx.groups(s.id())) {
              if (g.expiryMillis > 0 && tx.now() - g.lastRead > g.expiryMillis) {
                expiring.add(s);
                break;
              }
            }
            if (s.retention().kind() != Retention.Kind.FOREVER
                && floorOf(tx, s.name()) > s.firstOffset()) {
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
        int n = tables.write(tx -> deleteSome(tx, s.name()));
        deleted += n;
        if (n < BATCH) {
          break;
        }
      }
    }
    return deleted;
  }

  private static void expireGroups(GroupTables tables, StreamRow s) {
    tables.write(
        tx -> {
          StreamRow now = tx.stream(s.name());
          if (now == null || now.id() != s.id()) {
            return null;
          }
          for (GroupRow g : tx.groups(s.id())) {
            if (g.expiryMillis > 0 && tx.now() - g.lastRead > g.expiryMillis) {
              LOG.warn(
                  "group {} of stream {} was not read for {} ms (expiry {} ms); removing it so it"
                      + " no longer holds records",
                  g.name,
                  s.name(),
                  tx.now() - g.lastRead,
                  g.expiryMillis);
              tx.deleteGroup(s.id(), g.name);
            }
          }
          return null;
        });
  }

  private static long floorOf(GroupTx tx, String name) {
    StreamRow s = tx.stream(name);
    if (s == null) {
      return -1;
    }
    Retention r = s.retention();
    List<GroupRow> groups = tx.groups(s.id());
    return switch (r.kind()) {
      case FOREVER -> s.firstOffset();
      case UNTIL_CONSUMED -> {
        if (groups.isEmpty()) {
          yield s.firstOffset(); // nobody registered: nothing is consumed
        }
        long min = Long.MAX_VALUE;
        for (GroupRow g : groups) {
          min = Math.min(min, g.committed);
        }
        yield min;
      }
      case TIME -> tx.firstAtOrAfter(s.id(), s.firstOffset(), tx.now() - r.maxAge().toMillis());
      case COUNT -> s.nextOffset() - r.maxCount();
    };
  }

  private static int deleteSome(GroupTx tx, String name) {
    StreamRow s = tx.stream(name);
    if (s == null) {
      return 0;
    }
    Retention r = s.retention();
    List<GroupRow> groups = tx.groups(s.id());
    long floor = floorOf(tx, name);
    if (floor <= s.firstOffset()) {
      return 0;
    }
    int n = tx.deleteBelow(s.id(), floor, BATCH);
    long first = tx.stream(name).firstOffset();
    for (GroupRow g : groups) {
      if (g.cursor < first) {
        long lost = first - g.cursor;
        LOG.warn(
            "group {} of stream {} lost {} unread records to retention {}; it resumes at {}",
            g.name,
            name,
            lost,
            r,
            first);
        g.lost += lost;
        g.cursor = first;
        long committed = g.cursor;
        for (WindowRow w : tx.windows(s.id(), g.name)) {
          if (!w.finished()) {
            committed = Math.min(committed, w.first);
          }
        }
        g.committed = committed;
        tx.putGroup(g);
      }
    }
    return n;
  }
}
