package dev.sluice.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.sluice.spi.Sink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A sink that writes each result as a document of a MongoDB collection, with one {@code insertMany}
 * per window (ordered). Wrap it in {@link dev.sluice.Sinks#expand} to write each element of a list
 * result as its own document.
 *
 * <p>Delivery: {@code write} returns once the server acknowledged the writes under the URL's write
 * concern (the driver's default: acknowledged by the primary; add {@code w=majority&journal=true}
 * to the URL for more). At-least-once: a retried window inserts its documents again, unless {@link
 * Builder#upsertByWindow} is set, which makes a retry replace what the first attempt wrote.
 * Thread-safe; one client (a connection pool) for the sink's life.
 */
public final class MongoSink implements Sink<Object> {
  private final MongoClient client;
  private final MongoCollection<Document> collection;
  private final String windowField;
  private final String name;

  private MongoSink(Builder b) {
    this.client = MongoClients.create(b.url);
    this.collection = client.getDatabase(b.database).getCollection(b.collection);
    this.windowField = b.windowField;
    this.name = b.database + "." + b.collection;
  }

  /** A sink writing to {@code collection} of {@code database} at {@code url}. */
  public static Builder builder(String url, String database, String collection) {
    return new Builder(
        Objects.requireNonNull(url, "url"),
        Objects.requireNonNull(database, "database"),
        Objects.requireNonNull(collection, "collection"));
  }

  @Override
  public void write(Object value) throws Exception {
    writeAll(List.of(value));
  }

  @Override
  public void writeAll(List<?> values) throws Exception {
    if (values.isEmpty()) {
      return;
    }
    List<Document> docs = new ArrayList<>(values.size());
    for (Object v : values) {
      docs.add(Json.document(v));
    }
    if (windowField == null) {
      collection.insertMany(docs);
      return;
    }
    List<WriteModel<Document>> upserts = new ArrayList<>(docs.size());
    Map<String, Integer> next = new HashMap<>();
    for (Document d : docs) {
      Object window = d.get(windowField);
      if (window == null) {
        throw new IllegalArgumentException(
            "upsertByWindow(\""
                + windowField
                + "\") needs that field in every result: "
                + d.toJson());
      }
      int index = next.merge(window.toString(), 1, Integer::sum) - 1;
      String id = window + "#" + index;
      d.put("_id", id);
      upserts.add(
          new ReplaceOneModel<>(Filters.eq("_id", id), d, new ReplaceOptions().upsert(true)));
    }
    collection.bulkWrite(upserts, new BulkWriteOptions().ordered(true));
  }

  /** Closes the client. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "mongo(" + name + ")";
  }

  /** Settings of a {@link MongoSink}. */
  public static final class Builder {
    private final String url;
    private final String database;
    private final String collection;
    private String windowField;

    private Builder(String url, String database, String collection) {
      this.url = url;
      this.database = database;
      this.collection = collection;
    }

    /**
     * Makes writes idempotent: each result's {@code _id} becomes {@code <window id>#<index>}, the
     * window id read from the result's field {@code windowField} (say {@code "window"}, filled with
     * {@code w.id()}) and the index counting the results of that window in one write, and each is
     * upserted. A retried window then replaces its earlier documents instead of adding more.
     */
    public Builder upsertByWindow(String windowField) {
      this.windowField = Objects.requireNonNull(windowField, "windowField");
      return this;
    }

    /** The sink, with its client. */
    public MongoSink build() {
      return new MongoSink(this);
    }
  }
}
