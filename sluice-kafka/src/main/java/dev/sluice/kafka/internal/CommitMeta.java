package dev.sluice.kafka.internal;

import dev.sluice.WindowBounds;
import java.time.Instant;

/**
 * What a window commit stores in the Kafka offset-commit metadata: the window's sequence number and
 * bounds, so the next owner of the partition continues the same windows. Text of the form {@code
 * sluice1;seq;kind;first;last;start;end;resumeAt} (times in epoch millis).
 */
record CommitMeta(long seq, WindowBounds last) {
  private static final String VERSION = "sluice1";

  String encode() {
    if (last == null) {
      return VERSION + ";" + seq;
    }
    return String.join(
        ";",
        VERSION,
        Long.toString(seq),
        last.kind().name(),
        Long.toString(last.firstOffset()),
        Long.toString(last.lastOffset()),
        Long.toString(last.start().toEpochMilli()),
        Long.toString(last.end().toEpochMilli()),
        last.resumeAt() == null ? "" : Long.toString(last.resumeAt().toEpochMilli()));
  }

  /** The metadata of a commit, or null if it was not written by Sluice. */
  static CommitMeta decode(String text) {
    if (text == null || !text.startsWith(VERSION + ";")) {
      return null;
    }
    String[] f = text.split(";", -1);
    try {
      long seq = Long.parseLong(f[1]);
      if (f.length < 8) {
        return new CommitMeta(seq, null);
      }
      WindowBounds.Kind kind = WindowBounds.Kind.valueOf(f[2]);
      Instant start = Instant.ofEpochMilli(Long.parseLong(f[5]));
      Instant end = Instant.ofEpochMilli(Long.parseLong(f[6]));
      WindowBounds b =
          kind == WindowBounds.Kind.TIME
              ? WindowBounds.ofTime(start, end, Instant.ofEpochMilli(Long.parseLong(f[7])))
              : WindowBounds.ofOffsets(Long.parseLong(f[3]), Long.parseLong(f[4]), start, end);
      return new CommitMeta(seq, b);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
