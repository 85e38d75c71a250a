package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Codecs;
import dev.sluice.Record;
import dev.sluice.spi.Codec;
import java.nio.charset.StandardCharsets;

/** The CLI's JSON output: one compact object per line. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Codec<JsonNode> TREE = Codecs.json(JsonNode.class);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /**
   * A stored value as JSON, every digit kept; a value that is not JSON (another codec wrote it) as
   * a string of its UTF-8 text.
   */
  static JsonNode value(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return TREE.decode(value);
    } catch (Exception e) {
      return TextNode.valueOf(new String(value, StandardCharsets.UTF_8));
    }
  }

  /** A record as {@code {"offset":…,"timestamp":…,"key":…,"value":…}}. */
  static ObjectNode record(Record<byte[]> r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("offset", r.offset());
    n.put("timestamp", r.timestamp().toString());
    n.put("key", r.key());
    n.set("value", value(r.value()));
    return n;
  }
}
