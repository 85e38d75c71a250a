package dev.sluice.internal;

import dev.sluice.CodecException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-delimited text as UTF-8 whatever the platform charset: a byte-order mark at the
 * start is skipped, a trailing {@code \r} is dropped, and a line that is not valid UTF-8 is a
 * {@link CodecException} naming the source and the line (never a replacement character). Not
 * thread-safe.
 */
public final class NdjsonLines implements Closeable {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private final InputStream in;
  private final String name;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private long lineNumber;
  private long bytes;
  private boolean eof;

  /**
   * Lines of {@code in}; {@code name} (a file, "standard input") goes into error messages.
   *
   * @param in the bytes to read; closed by {@link #close}
   * @param name what the lines come from, for error messages
   */
  public NdjsonLines(InputStream in, String name) {
    this.in = in;
    this.name = name;
  }

  /**
   * The next line without its line end, or null at the end of the input.
   *
   * @throws CodecException if the line is not valid UTF-8
   * @throws IOException if reading fails
   */
  public String next() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof || !fill()) {
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      int n = pos - start;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(buffer, start, line, length, n);
      length += n;
      if (pos < limit) {
        pos++; // the '\n'
        break;
      }
    }
    lineNumber++;
    int from = 0;
    if (lineNumber == 1 && length >= 3 && Arrays.equals(line, 0, 3, BOM, 0, 3)) {
      from = 3;
    }
    if (length > from && line[length - 1] == '\r') {
      length--;
    }
    ByteBuffer text = ByteBuffer.wrap(line, from, length - from);
    try {
      return utf8.decode(text).toString();
    } catch (CharacterCodingException e) {
      int at = text.position();
      throw new CodecException(
          String.format(
              "%s line %d is not valid UTF-8 (byte 0x%02X at byte %d of the line); text must be"
                  + " UTF-8",
              name, lineNumber, line[at] & 0xFF, at - from + 1),
          e);
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      eof = n < 0;
      pos = 0;
      limit = 0;
      return !eof && fill();
    }
    bytes += n;
    pos = 0;
    limit = n;
    return true;
  }

  /** The number of the line {@link #next} returned last (the first is 1). */
  public long lineNumber() {
    return lineNumber;
  }

  /** The bytes read from the input so far. */
  public long bytesRead() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
