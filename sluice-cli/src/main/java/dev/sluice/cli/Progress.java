package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, redrawn at most five times a second. Knows the total
 * bytes when reading a file; otherwise shows counts and rates only.
 */
final class Progress {
  private static final long REDRAW_NANOS = 200_000_000L;
  private final PrintWriter err;
  private final long totalBytes;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  Progress(PrintWriter err, long totalBytes) {
    this.err = err;
    this.totalBytes = totalBytes;
  }

  /** Redraws if enough time has passed. */
  void update(long bytes, long records) {
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw(bytes, records, now);
    }
  }

  /** Draws the final state and ends the line. */
  void finish(long bytes, long records) {
    draw(bytes, records, System.nanoTime());
    if (drawn) {
      err.println();
      err.flush();
    }
  }

  private void draw(long bytes, long records, long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    StringBuilder line = new StringBuilder("\r");
    if (totalBytes > 0) {
      int width = 30;
      double fraction = Math.min(1.0, (double) bytes / totalBytes);
      int filled = (int) Math.round(fraction * width);
      line.append('[')
          .append("#".repeat(filled))
          .append("-".repeat(width - filled))
          .append(
              String.format(
                  Locale.ROOT,
                  "] %3d%%  %s/%s  ",
                  Math.round(fraction * 100),
                  megabytes(bytes),
                  megabytes(totalBytes)));
    }
    line.append(
        String.format(Locale.ROOT, "%,d records  %,.0f records/s", records, records / seconds));
    err.print(line);
    err.flush();
    drawn = true;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
