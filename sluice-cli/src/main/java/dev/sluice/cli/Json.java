package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Record;

/** The CLI's JSON output: one compact object per line. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** A record as {@code {"offset":…,"timestamp":…,"key":…,"value":…}}. */
  static ObjectNode record(Record<JsonNode> r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("offset", r.offset());
    n.put("timestamp", r.timestamp().toString());
    n.put("key", r.key());
    n.set("value", r.value());
    return n;
  }
}
