package dev.sluice.kafka.streams.internal;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record formats of the runner: the epoch and end-of-input headers of input and output topics,
 * and the envelope of items and watermarks on exchange topics.
 *
 * <p>An exchange value is {@code [kind][source task int][epoch long][target partition
 * int][item...]}; kind {@link #DATA} carries an item of {@code epoch} for one partition, kind
 * {@link #WATERMARK} tells every partition that the source task will send nothing below {@code
 * epoch}.
 */
public final class Wire {
  /** Header with an item's epoch as an 8-byte big-endian long. */
  public static final String EPOCH = "sluice-epoch";

  /** Header marking the end of input on a partition, or a task's end on the output. */
  public static final String END = "sluice-end";

  static final byte DATA = 'D';
  static final byte WATERMARK = 'W';
  static final int HEADER = 1 + 4 + 8 + 4;

  private Wire() {}

  /** The 8 bytes of a long, big-endian. */
  public static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** The 4 bytes of an int, big-endian. */
  public static byte[] intBytes(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  /** Reads the epoch header, or returns null if absent. */
  public static Long epoch(Headers headers) {
    Header h = headers.lastHeader(EPOCH);
    if (h == null || h.value() == null || h.value().length != 8) {
      return null;
    }
    return ByteBuffer.wrap(h.value()).getLong();
  }

  /** Whether the record is an end marker. */
  public static boolean isEnd(Headers headers) {
    return headers.lastHeader(END) != null;
  }

  static byte[] envelope(byte kind, int source, long epoch, int target, byte[] item) {
    int length = item == null ? 0 : item.length;
    ByteBuffer b = ByteBuffer.allocate(HEADER + length);
    b.put(kind).putInt(source).putLong(epoch).putInt(target);
    if (item != null) {
      b.put(item);
    }
    return b.array();
  }

  static byte kind(byte[] envelope) {
    return envelope[0];
  }

  static int source(byte[] envelope) {
    return ByteBuffer.wrap(envelope, 1, 4).getInt();
  }

  static long epochOf(byte[] envelope) {
    return ByteBuffer.wrap(envelope, 5, 8).getLong();
  }

  static int target(byte[] envelope) {
    return ByteBuffer.wrap(envelope, 13, 4).getInt();
  }

  /** A store key that sorts by signed epoch first: the epoch with its sign bit flipped. */
  static byte[] epochKey(long epoch, byte[] suffix) {
    ByteBuffer b = ByteBuffer.allocate(8 + suffix.length);
    b.putLong(epoch ^ Long.MIN_VALUE).put(suffix);
    return b.array();
  }

  static long epochOfKey(byte[] key) {
    return ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE;
  }
}
