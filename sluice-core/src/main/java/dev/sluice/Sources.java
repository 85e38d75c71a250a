package dev.sluice;

import dev.sluice.internal.NdjsonSource;
import dev.sluice.spi.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Built-in sources for {@link EventStream#attach} and {@link Streaming#source}.
 *
 * <pre>{@code
 * try (var loading = store.stream("orders").attach(Sources.ndjson(Path.of("orders.ndjson")))) {
 *   loading.await(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class Sources {
  private Sources() {}

  /**
   * Reads a newline-delimited JSON file (one value per line, blank lines skipped) and emits each
   * line's object as a map. The file is UTF-8 whatever the platform charset; a byte-order mark at
   * its start is skipped. A line that is not a JSON object, holds more than one value, or is not
   * valid UTF-8 fails the source with a {@link CodecException} naming the file and the line number;
   * the lines before it have been emitted. The file must exist when the source is made: a missing
   * file or a directory is refused here with a {@link SluiceException} naming the path, not later
   * in {@link EventStream.Attachment#failure()}. The file is opened when the source runs. {@link
   * Source#close()} stops a running source.
   */
  public static Source<Map<String, Object>> ndjson(Path file) {
    return new NdjsonSource<>(existing(file), Codecs.json());
  }

  /**
   * As {@link #ndjson(Path)}, each line read as a value of {@code type} (a POJO, a Java record, a
   * {@code String}, a boxed number) through JSON.
   */
  public static <T> Source<T> ndjson(Path file, Class<T> type) {
    return new NdjsonSource<>(existing(file), Codecs.json(type));
  }

  private static Path existing(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new SluiceException(
          "an ndjson source reads an existing file; no such file: " + file.toAbsolutePath());
    }
    return file;
  }
}
