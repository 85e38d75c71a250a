package dev.sluice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.internal.base.Names;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Dead letters: what a consumer gave up on, kept in {@code <stream>.dlq} (see {@link
 * Streaming#deadLetter}). Read them with {@link Store#deadLetters(String)}, or as raw JSON with
 * {@code store.deadLetters(stream, Codecs.bytes())}; consume them as any stream, with {@code
 * .streaming()}; {@link #original} gives back the record a dead letter carries, to replay it (as
 * {@code sluice dlq replay} does, exactly once).
 *
 * <p>Each dead letter is one JSON object with {@code stream}, {@code partition}, {@code group},
 * {@code window}, {@code offset}, {@code firstOffset}, {@code lastOffset}, {@code attempts}, {@code
 * error}, {@code message}, {@code stackTrace}, {@code timestamp}, {@code deadAt}, {@code key} and
 * {@code value} (the original JSON) or {@code valueBase64}.
 */
public final class DeadLetters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetters() {}

  /**
   * The name of the dead-letter stream of {@code stream}: {@code stream + ".dlq"}.
   *
   * @throws IllegalArgumentException if {@code stream} breaks the naming rule of streams
   */
  public static String name(String stream) {
    return Names.checkStream(stream) + Names.DEAD_LETTER_SUFFIX;
  }

  /**
   * The record a dead letter carries: the stream it came from, its key and its value as the codec
   * wrote it.
   *
   * @param stream the stream the record was consumed from
   * @param key its key, or {@code null}
   * @param value its encoded value
   */
  public record Original(String stream, String key, byte[] value) {
    /** Checks the fields. */
    public Original {
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Reads the original record out of a dead letter's bytes.
   *
   * @throws IllegalArgumentException if the bytes are not a dead letter, showing them
   */
  public static Original original(byte[] deadLetter) {
    try {
      JsonNode n = JSON.readTree(deadLetter);
      String stream = n.path("stream").asText(null);
      String key = n.hasNonNull("key") ? n.get("key").asText() : null;
      byte[] value;
      if (n.has("value")) {
        value = JSON.writeValueAsBytes(n.get("value"));
      } else if (n.has("valueBase64")) {
        value = Base64.getDecoder().decode(n.get("valueBase64").asText());
      } else {
        throw new IllegalArgumentException("a dead letter without value or valueBase64");
      }
      if (stream == null) {
        throw new IllegalArgumentException("a dead letter without its stream");
      }
      return new Original(stream, key, value);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "not a dead letter: " + new String(deadLetter, StandardCharsets.UTF_8), e);
    }
  }
}
