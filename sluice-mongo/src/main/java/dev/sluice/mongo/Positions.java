package dev.sluice.mongo;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.Store;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Where a Mongo source is, kept as records of a small stream of the Sluice store: the last record
 * holds the last field value (or resume token) stored, as canonical extended JSON so its BSON type
 * comes back exactly.
 */
final class Positions {
  private static final JsonWriterSettings CANONICAL =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  private static final long KEEP = 100;
  private final Store store;
  private final String stream;
  private final String source;
  private EventStream<Map<String, Object>> positions;

  Positions(Store store, String stream, String source) {
    this.store = java.util.Objects.requireNonNull(store, "store");
    this.stream = java.util.Objects.requireNonNull(stream, "positionStream");
    this.source = source;
  }

  private synchronized EventStream<Map<String, Object>> positions() {
    if (positions == null) {
      positions = store.stream(stream);
      positions.retention(Retention.count(KEEP));
    }
    return positions;
  }

  /** The last position saved, if any. */
  Optional<Saved> load() {
    EventStream<Map<String, Object>> s = positions();
    var meta = s.metadata();
    if (meta.recordCount() == 0) {
      return Optional.empty();
    }
    List<Record<Map<String, Object>>> last = s.read(meta.lastOffset(), 1);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    Object json = last.get(0).value().get("position");
    if (!(json instanceof String text)) {
      throw new IllegalStateException(
          "the position stream " + stream + " holds a record without a position: " + last.get(0));
    }
    return Optional.of(new Saved(text));
  }

  /** Appends a position; returns once it is durable. */
  void save(String json) {
    positions()
        .append(Map.of("source", source, "position", json, "savedAt", Instant.now().toString()));
  }

  static String encode(Object value) {
    return new Document("v", value).toJson(CANONICAL);
  }

  static String encodeToken(BsonDocument token) {
    return new BsonDocument("v", token).toJson(CANONICAL);
  }

  /** A saved position. */
  record Saved(String json) {
    Object value() {
      return Document.parse(json).get("v");
    }

    BsonDocument token() {
      return BsonDocument.parse(json).getDocument("v");
    }
  }

  @Override
  public String toString() {
    return stream;
  }
}
