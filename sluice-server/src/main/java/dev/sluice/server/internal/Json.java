package dev.sluice.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** The server's JSON: strict when reading bodies, ISO-8601 times when writing. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(200).build())
                  .build())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Checks that {@code bytes[from, to)} holds exactly one JSON value (duplicate keys and trailing
   * content refused) without building it.
   *
   * @return null if it does, else what is wrong
   */
  static String invalid(byte[] bytes, int from, int to) {
    try (JsonParser p = MAPPER.getFactory().createParser(bytes, from, to - from)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return "no JSON value";
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return "more than one JSON value (send NDJSON for many records)";
      }
      return null;
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage();
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Parses a record's stored bytes, or null if they are not JSON. */
  static JsonNode parseOrNull(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
