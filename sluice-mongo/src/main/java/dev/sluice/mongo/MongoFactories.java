package dev.sluice.mongo;

import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Sink;
import dev.sluice.spi.SinkFactory;
import dev.sluice.spi.Source;
import dev.sluice.spi.SourceFactory;
import java.time.Duration;

/** The {@code "mongo"} type of configuration files, for sources and sinks. */
public final class MongoFactories {
  private MongoFactories() {}

  /**
   * {@code {"type": "mongo", "url": "mongodb://127.0.0.1:27017", "database": "shop", "collection":
   * "orders", "follow": "_id", "changeStream": false, "batchSize": 100, "pollInterval": "500ms",
   * "positionStream": "…"}}. The position stream defaults to {@code <stream>.<name>.position}.
   */
  public static final class SourceType implements SourceFactory {
    @Override
    public String type() {
      return "mongo";
    }

    @Override
    public Source<?> create(ConnectorSettings s, ConnectorContext context) {
      MongoSource.Builder b =
          MongoSource.builder(s.string("url"), s.string("database"), s.string("collection"))
              .follow(s.string("follow", "_id"))
              .batchSize(s.integer("batchSize", 100))
              .pollInterval(s.duration("pollInterval", Duration.ofMillis(500)))
              .position(
                  context.store(),
                  s.string(
                      "positionStream", context.stream() + "." + context.name() + ".position"));
      if (s.bool("changeStream", false)) {
        b.changeStream();
      }
      return b.build();
    }
  }

  /**
   * {@code {"type": "mongo", "url": "mongodb://127.0.0.1:27017", "database": "shop", "collection":
   * "totals", "upsertByWindow": "window"}}.
   */
  public static final class SinkType implements SinkFactory {
    @Override
    public String type() {
      return "mongo";
    }

    @Override
    public Sink<Object> create(ConnectorSettings s, ConnectorContext context) {
      MongoSink.Builder b =
          MongoSink.builder(s.string("url"), s.string("database"), s.string("collection"));
      s.optionalString("upsertByWindow").ifPresent(b::upsertByWindow);
      return b.build();
    }
  }
}
