package dev.sluice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead letter of a message a source could not read: where it came from and why, with the
 * payload as JSON ({@code value}) when it parses, else as {@code valueBase64}, so that {@code
 * sluice dlq replay} can send it back once fixed.
 */
final class SourceDeadLetters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SourceDeadLetters() {}

  static Map<String, Object> letter(
      String stream, Object source, Map<String, Object> position, byte[] payload, Throwable error) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("stream", stream);
    n.put("source", String.valueOf(source));
    n.put("position", position == null ? Map.of() : position);
    n.put("error", error.getClass().getName());
    n.put("message", String.valueOf(error.getMessage()));
    n.put("deadAt", Instant.now().toString());
    JsonNode value = asJson(payload);
    if (value != null) {
      n.put("value", value);
    } else {
      n.put(
          "valueBase64",
          Base64.getEncoder().encodeToString(payload == null ? new byte[0] : payload));
    }
    return n;
  }

  private static JsonNode asJson(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (Exception e) {
      return null;
    }
  }
}
