package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of the processes that use a store: each holds an OS lock on {@code procs/<id>.lock} for
 * its life. The kernel drops the lock when a process dies, however it dies, so a lock that can be
 * taken means its process is gone and its claims may be taken over at once.
 *
 * <p>A dead process's file (kill -9, a crash) is deleted by whoever notices that its lock is free:
 * a process opening the store, the change poller counting the others, a claim asking whether an
 * owner lives. A new file is created and locked under a temporary name, then renamed, so that no
 * one ever sees an unlocked {@code .lock} file of a live process.
 */
final class Processes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Processes.class);
  private static final long ALIVE_CACHE_NANOS = 50_000_000L;
  private static final long OTHERS_CACHE_NANOS = 500_000_000L;
  private static final String SUFFIX = ".lock";
  private static final String TEMP_SUFFIX = ".lock.new";
  private static final long TEMP_GRACE_MILLIS = 60_000L;

  private final Path dir;
  private final String self;
  private final FileChannel channel;
  private final FileLock held;
  private final Set<String> dead = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> aliveUntil = new ConcurrentHashMap<>();

  Processes(Path dir) {
    this.dir = dir;
    this.self = UUID.randomUUID().toString();
    Path file = dir.resolve(self + SUFFIX);
    Path temp = dir.resolve(self + TEMP_SUFFIX);
    // An interrupt would close the channel, and with it the lock that says this process lives.
    boolean interrupted = Thread.interrupted();
    try {
      Files.createDirectories(dir);
      this.channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.held = channel.lock();
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreException("cannot create the process lock " + file + ": " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    countOthers(); // and delete the files of dead processes
  }

  String self() {
    return self;
  }

  /**
   * Whether another live process has the store open (it holds the lock of a file beside this
   * one's). Looked up at most every 500 ms; a process that just opened the store may go unseen that
   * long. Files of dead processes found on the way are deleted.
   */
  boolean othersPresent() {
    long now = System.nanoTime();
    if (othersCheckedAt != 0 && now - othersCheckedAt < OTHERS_CACHE_NANOS) {
      return others;
    }
    others = countOthers() > 0;
    othersCheckedAt = now;
    return others;
  }

  /**
   * The next {@link #othersPresent()} looks again: a file in the directory was added or removed.
   */
  void forgetOthers() {
    othersCheckedAt = 0;
  }

  private volatile boolean others = true;
  private volatile long othersCheckedAt;

  /** Counts the other live processes, deleting dead ones' files. */
  private int countOthers() {
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.toList();
    } catch (IOException e) {
      return 1; // cannot tell: assume company, so the poller keeps watching
    }
    int live = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(SUFFIX)) {
        String id = name.substring(0, name.length() - SUFFIX.length());
        if (!id.equals(self) && isAlive(id)) {
          live++;
        }
      } else if (name.endsWith(TEMP_SUFFIX)) {
        deleteIfAbandoned(f);
      }
    }
    return live;
  }

  /** A temporary file left by a process that died while opening the store. */
  private static void deleteIfAbandoned(Path temp) {
    try {
      if (System.currentTimeMillis() - Files.getLastModifiedTime(temp).toMillis()
          < TEMP_GRACE_MILLIS) {
        return; // a process may be opening the store right now
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        FileLock lock = ch.tryLock();
        if (lock != null) {
          Files.deleteIfExists(temp);
          lock.release();
        }
      }
    } catch (IOException | OverlappingFileLockException e) {
      // gone already, or in use
    }
  }

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
      Files.deleteIfExists(file); // while locked, so no other prober races on it
      lock.release();
      LOG.info("process {} of store {} is gone; its lock file is deleted", id, dir.getParent());
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
      Files.deleteIfExists(dir.resolve(self + SUFFIX)); // while locked: nobody takes it for dead
      held.release();
      channel.close();
    } catch (IOException e) {
      LOG.debug("releasing the process lock: {}", e.toString());
    }
  }
}
