package dev.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.internal.config.Deployer;
import dev.sluice.spi.ConnectorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A declaration of what runs on a store: streams with the sources that feed them, and consumers
 * with their windows, groups, workers and sinks, read from a small JSON file. Sources and sinks are
 * named by type ({@code "mqtt"}, {@code "mongo"}, {@code "ndjson"}, ...) and made by the {@link
 * dev.sluice.spi.SourceFactory} and {@link dev.sluice.spi.SinkFactory} found on the classpath, so a
 * connector module plugs in by being there.
 *
 * <pre>{@code
 * {
 *   "store": "sqlite:./sluice-data",
 *   "streams": {
 *     "readings": {"sources": [{"type": "mqtt", "name": "sensors",
 *                               "url": "tcp://127.0.0.1:1883", "topics": ["sensors/#"], "qos": 1}]}
 *   },
 *   "consumers": [
 *     {"stream": "readings", "group": "archive", "window": {"count": 100, "orAfter": "5s"},
 *      "workers": 2, "sinks": [{"type": "ndjson", "path": "readings.ndjson"}]}
 *   ]
 * }
 * }</pre>
 *
 * <p>Starting is idempotent: starting a configuration whose sources and consumers already run in
 * this JVM on the same store reuses them (no second thread, no second connection, no replay). The
 * description is immutable; {@link #start()} returns the running {@link Deployment}.
 */
public final class SluiceConfig {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String origin;
  private final String store;
  private final Map<String, List<ConnectorSettings>> sources;
  private final List<Consumer> consumers;

  /**
   * One consumer of a configuration.
   *
   * @param stream the stream it reads
   * @param settings its fields ({@code group}, {@code window}, {@code workers}, {@code startFrom},
   *     {@code retry}, {@code process})
   * @param sinks its sinks, in order
   */
  public record Consumer(String stream, ConnectorSettings settings, List<ConnectorSettings> sinks) {
    /** Copies the list of sinks. */
    public Consumer {
      sinks = List.copyOf(sinks);
    }

    /** The consumer group, {@code "default"} when not given. */
    public String group() {
      return settings.string("group", "default");
    }
  }

  private SluiceConfig(
      String origin,
      String store,
      Map<String, List<ConnectorSettings>> sources,
      List<Consumer> consumers) {
    this.origin = origin;
    this.store = store;
    this.sources = sources;
    this.consumers = consumers;
  }

  /**
   * Reads a configuration file.
   *
   * @throws ConfigException if it cannot be read, is not JSON, or breaks a rule (naming where)
   */
  public static SluiceConfig read(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  /**
   * Reads a configuration from JSON text; {@code origin} names it in messages (a file name).
   *
   * @throws ConfigException if it is not JSON or breaks a rule (naming where)
   */
  @SuppressWarnings("unchecked")
  public static SluiceConfig parse(String origin, String json) {
    Map<String, Object> root;
    try {
      Object tree = JSON.readValue(json, Object.class);
      if (!(tree instanceof Map<?, ?>)) {
        throw new ConfigException(origin + ": a configuration must be a JSON object");
      }
      root = (Map<String, Object>) tree;
    } catch (JsonProcessingException e) {
      throw new ConfigException(origin + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    ConnectorSettings top = ConnectorSettings.of(origin, root);
    for (String key : root.keySet()) {
      if (!List.of("store", "streams", "consumers").contains(key)) {
        throw new ConfigException(
            origin + ": unknown field \"" + key + "\" (known: store, streams, consumers)");
      }
    }
    String store = top.string("store", null);
    Map<String, List<ConnectorSettings>> sources = new LinkedHashMap<>();
    ConnectorSettings streams = top.object("streams");
    for (Map.Entry<String, Object> e : streams.values().entrySet()) {
      ConnectorSettings stream = streams.object(e.getKey());
      sources.put(e.getKey(), list(stream, "sources"));
    }
    List<Consumer> consumers = new ArrayList<>();
    Object list = root.get("consumers");
    if (list != null && !(list instanceof List<?>)) {
      throw top.bad("consumers", "a list of objects", list);
    }
    if (list != null) {
      int i = 0;
      for (Object o : (List<Object>) list) {
        String where = origin + ".consumers[" + i++ + "]";
        if (!(o instanceof Map<?, ?> m)) {
          throw new ConfigException(where + " must be an object: " + o);
        }
        ConnectorSettings c = ConnectorSettings.of(where, (Map<String, Object>) m);
        consumers.add(new Consumer(c.string("stream"), c, list(c, "sinks")));
      }
    }
    return new SluiceConfig(origin, store, sources, List.copyOf(consumers));
  }

  @SuppressWarnings("unchecked")
  private static List<ConnectorSettings> list(ConnectorSettings parent, String key) {
    Object v = parent.values().get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw parent.bad(key, "a list of objects", v);
    }
    List<ConnectorSettings> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof Map<?, ?> m)) {
        throw parent.bad(key + "[" + i + "]", "an object", l.get(i));
      }
      out.add(ConnectorSettings.of(parent.where() + "." + key + "[" + i + "]", (Map<String, ?>) m));
    }
    return List.copyOf(out);
  }

  /** Where the configuration came from, for messages. */
  public String origin() {
    return origin;
  }

  /** The store URL, if the configuration names one. */
  public java.util.Optional<String> store() {
    return java.util.Optional.ofNullable(store);
  }

  /** The sources of each stream, by stream name. */
  public Map<String, List<ConnectorSettings>> sources() {
    return java.util.Collections.unmodifiableMap(sources);
  }

  /** The consumers, in order. */
  public List<Consumer> consumers() {
    return consumers;
  }

  /**
   * Opens the configured store ({@code "store"}, else the default store) and starts everything on
   * it; closing the deployment also closes the store.
   *
   * @throws ConfigException if a setting is invalid or a type has no factory; nothing is left
   *     running
   */
  public Deployment start() {
    String url = store;
    if (url == null) {
      url = System.getenv("SLUICE_URL");
    }
    Store opened = Sluice.open(url == null || url.isBlank() ? Sluice.DEFAULT_URL : url);
    try {
      return Deployer.start(this, opened, true);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /**
   * Starts every source and consumer on an open store (the configuration's {@code "store"} is
   * ignored); closing the deployment leaves the store open.
   *
   * @throws ConfigException if a setting is invalid or a type has no factory; nothing is left
   *     running
   */
  public Deployment start(Store store) {
    return Deployer.start(this, Objects.requireNonNull(store, "store"), false);
  }
}
