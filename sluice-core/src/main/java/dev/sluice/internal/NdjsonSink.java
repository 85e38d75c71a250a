package dev.sluice.internal;

import dev.sluice.Codecs;
import dev.sluice.SluiceException;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes each value as one JSON line, behind {@link dev.sluice.Sinks#ndjson} and {@link
 * dev.sluice.Sinks#stdout}. Thread-safe: each call's lines stay together.
 */
public final class NdjsonSink implements Sink<Object> {
  private static final Codec<Object> JSON = Codecs.json(Object.class);
  private final String name;
  private final FileChannel channel;
  private final Supplier<PrintStream> console;

  private NdjsonSink(String name, FileChannel channel, Supplier<PrintStream> console) {
    this.name = name;
    this.channel = channel;
    this.console = console;
  }

  /**
   * A sink appending to {@code file}, created if absent.
   *
   * @throws SluiceException if the file cannot be opened for appending
   */
  public static NdjsonSink file(Path file) {
    try {
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new NdjsonSink("Sinks.ndjson(" + file + ")", channel, null);
    } catch (IOException e) {
      throw new SluiceException("cannot open " + file + " for appending: " + e, e);
    }
  }

  /** A sink printing to whatever {@code System.out} is when it writes. */
  public static NdjsonSink stdout() {
    return new NdjsonSink("Sinks.stdout()", null, () -> System.out);
  }

  @Override
  public void write(Object value) throws Exception {
    writeAll(List.of(value));
  }

  @Override
  public synchronized void writeAll(List<?> values) throws Exception {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (Object value : values) {
      lines.write(JSON.encode(value));
      lines.write('\n');
    }
    if (channel == null) {
      PrintStream out = console.get();
      out.write(lines.toByteArray());
      // PrintStream swallows IOExceptions (a closed pipe, a full disk): the window must not be
      // committed when its output did not get out
      if (out.checkError()) {
        throw new IOException(
            name
                + " could not write "
                + values.size()
                + " line(s): the output failed or is closed");
      }
      return;
    }
    ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    // a window is committed once this returns: its output must survive a power loss by then
    channel.force(false);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
