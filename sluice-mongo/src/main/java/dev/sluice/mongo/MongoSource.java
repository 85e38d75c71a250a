package dev.sluice.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import dev.sluice.Codecs;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A source that follows a MongoDB collection and emits each document once, keeping its position in
 * the Sluice store so that a restart goes on where it stopped instead of replaying the collection.
 *
 * <p>Two ways to follow:
 *
 * <ul>
 *   <li>by an increasing field ({@link Builder#follow}, default {@code _id}): reads documents whose
 *       field is greater than the last one read, in field order, in batches, polling when there are
 *       none. Documents without the field are never read, and a document inserted later with a
 *       smaller value than one already read is missed: use a field that only grows (a sequence, an
 *       insertion time from one writer), or change streams.
 *   <li>by change stream ({@link Builder#changeStream()}): inserts and replacements as the server
 *       reports them, resuming after the last one stored. Needs a replica set (or a server that
 *       offers change streams).
 * </ul>
 *
 * <p>Delivery: after each batch is durable in the stream, the position (the last field value, or
 * the change stream's resume token) is appended to a small position stream of the store; a restart
 * reads it back. A crash between the two repeats at most that batch: at-least-once. Documents are
 * turned into relaxed JSON (ObjectIds as hex strings, dates as ISO-8601 instants) and decoded by a
 * codec; one the codec refuses goes to the stream's dead-letter stream with its {@code _id}, and
 * the source goes on.
 *
 * @param <T> what it emits
 */
public final class MongoSource<T> implements Source<T> {
  private final Builder b;
  private final Codec<T> codec;
  private final Object wake = new Object();
  private volatile boolean closed;
  private volatile MongoCursor<?> watching;

  private MongoSource(Builder b, Codec<T> codec) {
    this.b = b;
    this.codec = codec;
  }

  /**
   * A source reading collection {@code collection} of database {@code database} at {@code url}
   * ({@code mongodb://host:port/...}); its position is kept by {@link Builder#position}.
   */
  public static Builder builder(String url, String database, String collection) {
    return new Builder(
        Objects.requireNonNull(url, "url"),
        Objects.requireNonNull(database, "database"),
        Objects.requireNonNull(collection, "collection"));
  }

  @Override
  public void run(Emitter<? super T> emitter) throws Exception {
    try (MongoClient client = MongoClients.create(b.url)) {
      MongoCollection<Document> coll = client.getDatabase(b.database).getCollection(b.collection);
      if (b.changeStream) {
        watch(coll, emitter);
      } else {
        follow(coll, emitter);
      }
    }
  }

  private void follow(MongoCollection<Document> coll, Emitter<? super T> emitter) throws Exception {
    Object position = b.positions.load().map(Positions.Saved::value).orElse(null);
    while (!closed) {
      Bson filter = position == null ? Filters.exists(b.field) : Filters.gt(b.field, position);
      List<Document> batch =
          coll.find(filter)
              .sort(Sorts.ascending(b.field))
              .limit(b.batchSize)
              .into(new ArrayList<>());
      if (batch.isEmpty()) {
        sleep(b.pollInterval);
        continue;
      }
      CompletableFuture<Long> last = null;
      for (Document d : batch) {
        CompletableFuture<Long> f = emit(emitter, d);
        last = f != null ? f : last;
      }
      if (last != null) {
        last.get(); // appends of one stream complete in order: the batch is durable
      }
      position = batch.get(batch.size() - 1).get(b.field);
      b.positions.save(Positions.encode(position));
    }
  }

  private void watch(MongoCollection<Document> coll, Emitter<? super T> emitter) throws Exception {
    var stream = coll.watch();
    var token = b.positions.load().map(Positions.Saved::token);
    if (token.isPresent()) {
      stream = stream.resumeAfter(token.get());
    }
    try (MongoCursor<ChangeStreamDocument<Document>> cursor = stream.cursor()) {
      watching = cursor;
      while (!closed) {
        ChangeStreamDocument<Document> change;
        try {
          change = cursor.tryNext();
        } catch (IllegalStateException e) {
          if (closed) {
            return; // the cursor was closed by close()
          }
          throw e;
        }
        if (change == null) {
          continue;
        }
        Document d = change.getFullDocument();
        if (d != null) {
          CompletableFuture<Long> f = emit(emitter, d);
          if (f != null) {
            f.get();
          }
        }
        b.positions.save(Positions.encodeToken(change.getResumeToken()));
      }
    }
  }

  /** Emits a document, or dead-letters it; returns the append's future, or null. */
  private CompletableFuture<Long> emit(Emitter<? super T> emitter, Document d)
      throws InterruptedException {
    byte[] json = Json.bytes(d);
    T value;
    try {
      value = codec.decode(json);
    } catch (Exception e) {
      Map<String, Object> position = new LinkedHashMap<>();
      position.put("database", b.database);
      position.put("collection", b.collection);
      position.put("_id", Json.plain(d.get("_id")));
      emitter.deadLetter(position, json, e);
      return null;
    }
    return emitter.emitAsync(value);
  }

  private void sleep(Duration d) throws InterruptedException {
    synchronized (wake) {
      if (!closed) {
        TimeUnit.NANOSECONDS.timedWait(wake, d.toNanos());
      }
    }
  }

  /** Stops the source after the batch in hand. Idempotent. */
  @Override
  public void close() {
    closed = true;
    MongoCursor<?> c = watching;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // closing anyway
      }
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public String toString() {
    return "mongo("
        + b.database
        + "."
        + b.collection
        + (b.changeStream ? " changes" : " by " + b.field)
        + ")";
  }

  /** Settings of a {@link MongoSource}. */
  public static final class Builder {
    private final String url;
    private final String database;
    private final String collection;
    private String field = "_id";
    private boolean changeStream;
    private int batchSize = 100;
    private Duration pollInterval = Duration.ofMillis(500);
    private Positions positions;

    private Builder(String url, String database, String collection) {
      this.url = url;
      this.database = database;
      this.collection = collection;
    }

    /** Follows the collection by this increasing field. Default {@code _id}. */
    public Builder follow(String field) {
      this.field = Objects.requireNonNull(field, "field");
      this.changeStream = false;
      return this;
    }

    /** Follows the collection's change stream (inserts and replacements) instead of a field. */
    public Builder changeStream() {
      this.changeStream = true;
      return this;
    }

    /** How many documents one read takes. Default 100. */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a Mongo source's batch size must be at least 1: " + n);
      }
      this.batchSize = n;
      return this;
    }

    /** How long to wait before reading again when the last read found nothing. Default 500 ms. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("a poll interval must be positive: " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Keeps the source's position in {@code positionStream}, a small stream of {@code store} (one
     * record per batch; the stream keeps its last 100). Give each source its own position stream.
     */
    public Builder position(dev.sluice.Store store, String positionStream) {
      this.positions = new Positions(store, positionStream, database + "." + collection);
      return this;
    }

    /** A source emitting each document as a map. */
    public MongoSource<Map<String, Object>> build() {
      return as(Codecs.json());
    }

    /** A source emitting each document decoded from its JSON by {@code codec}. */
    public <T> MongoSource<T> as(Codec<T> codec) {
      Objects.requireNonNull(codec, "codec");
      if (positions == null) {
        throw new IllegalArgumentException(
            "a Mongo source needs position(store, stream) to keep its position across restarts");
      }
      return new MongoSource<>(this, codec);
    }
  }
}
