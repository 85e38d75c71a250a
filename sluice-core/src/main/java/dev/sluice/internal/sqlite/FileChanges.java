package dev.sluice.internal.sqlite;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the change poller that a file of the store changed, so it need not look at {@code PRAGMA
 * data_version} while nothing is written: the kernel's file notifications (inotify on Linux)
 * through the JDK's {@link WatchService}. Every commit writes the WAL file, and a process opening
 * the store creates its lock file in {@code procs}. Only where the JDK's watch service is native:
 * elsewhere (macOS) it polls every few seconds, and the poller polls the database itself.
 */
final class FileChanges implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileChanges.class);

  /** Set to {@code false} to poll {@code PRAGMA data_version} instead. */
  static final String PROPERTY = "sluice.sqlite.watchFiles";

  private final WatchService watch;
  private final WatchKey store;
  private final WatchKey procs;

  /** What changed since the last look. */
  record Seen(boolean store, boolean procs) {
    static final Seen NOTHING = new Seen(false, false);
  }

  private FileChanges(WatchService watch, WatchKey store, WatchKey procs) {
    this.watch = watch;
    this.store = store;
    this.procs = procs;
  }

  /**
   * Watches {@code dir} and {@code procs}, or returns null where notifications are not native or
   * the system property {@value #PROPERTY} is {@code false} (for a file system whose notifications
   * miss other processes' writes, and to compare with polling).
   */
  static FileChanges open(Path dir, Path procs) {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
      return null;
    }
    WatchService w = null;
    try {
      w = FileSystems.getDefault().newWatchService();
      if (w.getClass().getSimpleName().startsWith("Polling")) {
        w.close();
        return null; // the JDK polls itself: watching the database is cheaper and quicker
      }
      WatchKey s =
          dir.register(
              w, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
      WatchKey p =
          procs.register(
              w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
      return new FileChanges(w, s, p);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("no file notifications for {}: {}; polling the database", dir, e.toString());
      if (w != null) {
        try {
          w.close();
        } catch (IOException ignored) {
          // nothing to release
        }
      }
      return null;
    }
  }

  /**
   * Waits until a file changed, at most {@code timeout} (empty: no limit), and takes every
   * notification that is ready.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  Seen await(Optional<Duration> timeout) throws InterruptedException {
    WatchKey key =
        timeout.isEmpty()
            ? watch.take()
            : watch.poll(timeout.get().toNanos(), TimeUnit.NANOSECONDS);
    boolean s = false;
    boolean p = false;
    while (key != null) {
      boolean overflow = false;
      for (var e : key.pollEvents()) {
        overflow |= e.kind() == StandardWatchEventKinds.OVERFLOW;
      }
      s |= key == store || overflow;
      p |= key == procs || overflow;
      key.reset();
      key = watch.poll();
    }
    return s || p ? new Seen(s, p) : Seen.NOTHING;
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      LOG.debug("closing the file watch: {}", e.toString());
    }
  }
}
