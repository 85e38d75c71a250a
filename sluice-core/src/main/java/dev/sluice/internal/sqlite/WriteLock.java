package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The OS file lock that queues writer processes before {@code BEGIN IMMEDIATE}.
 *
 * <p>A blocking {@code fcntl} lock: the kernel wakes the next waiting process when the holder
 * commits, where SQLite's busy handler would sleep-poll and starve waiters. Only the store's writer
 * leader takes it (a JVM may hold a region once), so it is never taken twice in one process.
 *
 * <p>Any thread may lead a write, and a thread may be interrupted. An interrupt closes a {@link
 * FileChannel} that the thread is using, which would break the lock for the whole store; so the
 * interrupt status is set aside while the lock is taken or released, and a channel closed by an
 * interrupt anyway is reopened. The interrupt is restored for the caller.
 */
final class WriteLock implements AutoCloseable {
  private final Path path;
  private volatile FileChannel channel;
  private volatile boolean closed;

  WriteLock(Path path) {
    this.path = path;
    this.channel = open(path);
  }

  private static FileChannel open(Path path) {
    try {
      return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot create the store's lock file " + path + ": " + e, e);
    }
  }

  /** Blocks until this process holds the lock. */
  FileLock acquire() {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        FileChannel ch = channel;
        try {
          return ch.lock();
        } catch (FileLockInterruptionException | ClosedChannelException e) {
          interrupted |= Thread.interrupted();
          reopen(ch);
        } catch (IOException e) {
          throw new StoreException("cannot lock " + path + ": " + e, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Releases a lock taken by {@link #acquire}. */
  void release(FileLock held) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      if (held.isValid()) {
        held.release();
      }
    } catch (ClosedChannelException e) {
      // The channel was closed, and the lock with it.
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void reopen(FileChannel broken) {
    if (closed) {
      throw new StoreException("store lock " + path + " is closed");
    }
    if (channel == broken) {
      try {
        broken.close();
      } catch (IOException e) {
        // already closed
      }
      channel = open(path);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw new StoreException("cannot close " + path + ": " + e, e);
    }
  }
}
