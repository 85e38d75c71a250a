package dev.sluice.mongo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;

/** Between BSON documents and the JSON values Sluice streams hold. */
final class Json {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
  private static final JsonWriterSettings PLAIN =
      JsonWriterSettings.builder()
          .outputMode(JsonMode.RELAXED)
          .objectIdConverter((v, w) -> w.writeString(v.toHexString()))
          .dateTimeConverter((v, w) -> w.writeString(Instant.ofEpochMilli(v).toString()))
          .build();

  private Json() {}

  /** A document as relaxed JSON, ObjectIds as hex strings and dates as ISO-8601 instants. */
  static byte[] bytes(Document d) {
    return d.toJson(PLAIN).getBytes(StandardCharsets.UTF_8);
  }

  /** A BSON value as a plain JSON value for a dead letter's position. */
  static Object plain(Object v) {
    if (v instanceof ObjectId id) {
      return id.toHexString();
    }
    if (v instanceof java.util.Date d) {
      return d.toInstant().toString();
    }
    if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
      return v;
    }
    return String.valueOf(v);
  }

  /** A result as a document: through JSON, so maps, records and POJOs all work. */
  static Document document(Object value) throws Exception {
    if (value instanceof Document d) {
      return d;
    }
    if (value instanceof Map<?, ?> m) {
      return Document.parse(JSON.writeValueAsString(m));
    }
    String json = JSON.writeValueAsString(value);
    if (!json.startsWith("{")) {
      throw new IllegalArgumentException(
          "a Mongo sink writes JSON objects; this result is not one: " + json);
    }
    return Document.parse(json);
  }
}
