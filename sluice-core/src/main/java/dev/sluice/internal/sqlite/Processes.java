package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of the processes that use a store: each holds an OS lock on {@code procs/<id>.lock} for
 * its life. The kernel drops the lock when a process dies, however it dies, so a lock that can be
 * taken means its process is gone and its claims may be taken over at once.
 */
final class Processes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Processes.class);
  private static final long ALIVE_CACHE_NANOS = 50_000_000L;

  private final Path dir;
  private final String self;
  private final FileChannel channel;
  private final FileLock held;
  private final Set<String> dead = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> aliveUntil = new ConcurrentHashMap<>();

  Processes(Path dir) {
    this.dir = dir;
    this.self = UUID.randomUUID().toString();
    Path file = dir.resolve(self + ".lock");
    // An interrupt would close the channel, and with it the lock that says this process lives.
    boolean interrupted = Thread.interrupted();
    try {
      Files.createDirectories(dir);
      this.channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.held = channel.lock();
    } catch (IOException e) {
      throw new StoreException("cannot create the process lock " + file + ": " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  String self() {
    return self;
  }

  /**
   * Whether another process has the store open (it holds a lock file beside this one's). Looked up
   * at most every 500 ms; a process that just opened the store may go unseen that long.
   */
  boolean othersPresent() {
    long now = System.nanoTime();
    if (now - othersCheckedAt < 500_000_000L && othersCheckedAt != 0) {
      return others;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      others = files.anyMatch(f -> !f.getFileName().toString().equals(self + ".lock"));
    } catch (IOException e) {
      others = true;
    }
    othersCheckedAt = now;
    return others;
  }

  private volatile boolean others = true;
  private volatile long othersCheckedAt;

  boolean isAlive(String id) {
    if (id.equals(self)) {
      return true;
    }
    if (dead.contains(id)) {
      return false;
    }
    Long until = aliveUntil.get(id);
    long now = System.nanoTime();
    if (until != null && now - until < 0) {
      return true;
    }
    boolean alive = probe(id);
    if (alive) {
      aliveUntil.put(id, now + ALIVE_CACHE_NANOS);
    } else {
      aliveUntil.remove(id);
      dead.add(id);
    }
    return alive;
  }

  private boolean probe(String id) {
    if (!id.matches("[0-9a-f-]{36}")) {
      return false; // not a process id this code wrote
    }
    Path file = dir.resolve(id + ".lock");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        return true; // held in this JVM, by another store handle's process id
      }
      if (lock == null) {
        return true;
      }
      lock.release();
      Files.deleteIfExists(file);
      LOG.info("process {} of store {} is gone; its claims are taken over", id, dir.getParent());
      return false;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      LOG.warn("cannot check process {} of {}: {}; taken as alive", id, dir, e.toString());
      return true;
    }
  }

  @Override
  public void close() {
    try {
      held.release();
      channel.close();
      Files.deleteIfExists(dir.resolve(self + ".lock"));
    } catch (IOException e) {
      LOG.debug("releasing the process lock: {}", e.toString());
    }
  }
}
