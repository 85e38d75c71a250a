package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The OS file lock that queues writer processes before {@code BEGIN IMMEDIATE}.
 *
 * <p>A blocking {@code fcntl} lock: the kernel wakes the next waiting process when the holder
 * commits, where SQLite's busy handler would sleep-poll and starve waiters. Only the store's writer
 * thread takes it (a JVM may hold a region once), so it is never taken twice in one process.
 */
final class WriteLock implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;

  WriteLock(Path path) {
    this.path = path;
    try {
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot create the store's lock file " + path + ": " + e, e);
    }
  }

  /** Blocks until this process holds the lock. */
  FileLock acquire() {
    try {
      return channel.lock();
    } catch (IOException e) {
      throw new StoreException("cannot lock " + path + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StoreException("cannot close " + path + ": " + e, e);
    }
  }
}
