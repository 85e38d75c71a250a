package dev.sluice.internal.config;

import dev.sluice.Sinks;
import dev.sluice.Sources;
import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Sink;
import dev.sluice.spi.SinkFactory;
import dev.sluice.spi.Source;
import dev.sluice.spi.SourceFactory;
import java.nio.file.Path;

/** The configuration types of core's own sources and sinks. */
public final class BuiltInFactories {
  private BuiltInFactories() {}

  /** {@code {"type": "ndjson", "path": "in.ndjson"}}: {@link Sources#ndjson(Path)}. */
  public static final class NdjsonSource implements SourceFactory {
    @Override
    public String type() {
      return "ndjson";
    }

    @Override
    public Source<?> create(ConnectorSettings settings, ConnectorContext context) {
      return Sources.ndjson(Path.of(settings.string("path")));
    }
  }

  /** {@code {"type": "ndjson", "path": "out.ndjson"}}: {@link Sinks#ndjson(Path)}. */
  public static final class NdjsonSink implements SinkFactory {
    @Override
    public String type() {
      return "ndjson";
    }

    @Override
    public Sink<Object> create(ConnectorSettings settings, ConnectorContext context) {
      return Sinks.ndjson(Path.of(settings.string("path")));
    }
  }

  /** {@code {"type": "stdout"}}: {@link Sinks#stdout()}. */
  public static final class StdoutSink implements SinkFactory {
    @Override
    public String type() {
      return "stdout";
    }

    @Override
    public Sink<Object> create(ConnectorSettings settings, ConnectorContext context) {
      return Sinks.stdout();
    }
  }

  /** {@code {"type": "stream", "stream": "totals"}}: {@link Sinks#stream} into the same store. */
  public static final class StreamSink implements SinkFactory {
    @Override
    public String type() {
      return "stream";
    }

    @Override
    public Sink<Object> create(ConnectorSettings settings, ConnectorContext context) {
      return Sinks.stream(context.store().stream(settings.string("stream"), Object.class));
    }
  }
}
