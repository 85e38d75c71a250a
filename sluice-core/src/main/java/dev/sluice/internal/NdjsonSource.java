package dev.sluice.internal;

import dev.sluice.CodecException;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Emits the values of a newline-delimited JSON file, behind {@link dev.sluice.Sources#ndjson}. A
 * source runs once; {@link #close} may come from another thread.
 */
public final class NdjsonSource<T> implements Source<T> {
  private final Path file;
  private final Codec<T> codec;
  private volatile boolean closed;

  /** A source reading {@code file} with {@code codec}. */
  public NdjsonSource(Path file, Codec<T> codec) {
    this.file = file;
    this.codec = codec;
  }

  @Override
  public void run(Emitter<? super T> emitter) throws IOException, InterruptedException {
    try (NdjsonLines lines = new NdjsonLines(Files.newInputStream(file), file.toString())) {
      for (String line; !closed && (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        emitter.emit(decode(line, lines.lineNumber()));
      }
    }
  }

  private T decode(String line, long lineNumber) {
    T value;
    try {
      value = codec.decode(line.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new CodecException(
          file + " line " + lineNumber + " is not valid JSON for this source: " + e.getMessage(),
          e);
    }
    if (value == null) {
      throw new CodecException(file + " line " + lineNumber + " is null, not a value", null);
    }
    return value;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "Sources.ndjson(" + file + ")";
  }
}
