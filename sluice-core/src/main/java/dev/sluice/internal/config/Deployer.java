package dev.sluice.internal.config;

import dev.sluice.EventStream;
import dev.sluice.Retry;
import dev.sluice.StartFrom;
import dev.sluice.Store;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.WindowFunction;
import dev.sluice.Windows;
import dev.sluice.config.ConfigException;
import dev.sluice.config.Deployment;
import dev.sluice.config.SluiceConfig;
import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Sink;
import dev.sluice.spi.SinkFactory;
import dev.sluice.spi.Source;
import dev.sluice.spi.SourceFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link SluiceConfig}: makes sources and sinks through the factories on the classpath,
 * attaches and starts them, and shares what already runs in this JVM (see {@link Running}).
 */
public final class Deployer {
  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  private static final List<String> CONSUMER_FIELDS =
      List.of("stream", "group", "window", "workers", "startFrom", "retry", "process", "sinks");

  private Deployer() {}

  /** Starts everything; on a failure stops what was started and rethrows. */
  public static Deployment start(SluiceConfig config, Store store, boolean ownsStore) {
    Map<String, SourceFactory> sourceTypes = factories(SourceFactory.class, SourceFactory::type);
    Map<String, SinkFactory> sinkTypes = factories(SinkFactory.class, SinkFactory::type);
    Handle handle = new Handle(store, ownsStore);
    try {
      for (Map.Entry<String, List<ConnectorSettings>> e : config.sources().entrySet()) {
        startSources(handle, e.getKey(), e.getValue(), sourceTypes);
      }
      Set<String> seen = new HashSet<>();
      for (SluiceConfig.Consumer c : config.consumers()) {
        String key = c.stream() + "/" + c.group();
        if (!seen.add(key)) {
          throw new ConfigException(
              c.settings().where()
                  + ": a second consumer of stream \""
                  + c.stream()
                  + "\" in group \""
                  + c.group()
                  + "\"; give it another group");
        }
        startConsumer(handle, c, sinkTypes);
      }
      return handle;
    } catch (RuntimeException e) {
      handle.close();
      throw e;
    }
  }

  private static void startSources(
      Handle handle,
      String stream,
      List<ConnectorSettings> list,
      Map<String, SourceFactory> types) {
    Set<String> names = new HashSet<>();
    for (ConnectorSettings s : list) {
      SourceFactory factory = type(s, types, "source");
      String name = s.string("name", factory.type());
      if (!names.add(name)) {
        throw s.bad("name", "unique among the sources of stream \"" + stream + "\"", name);
      }
      ConnectorContext ctx = new ConnectorContext(handle.store, stream, name);
      String key = handle.store.url() + "|" + stream + "|" + name;
      EventStream.Attachment a =
          Running.acquire(
              key,
              // a source that ended is not started again: that would read it twice
              running -> running.isRunning() || running.failure().isEmpty(),
              () -> {
                Source<?> source = factory.create(s, ctx);
                EventStream<Object> target = handle.store.stream(stream, Object.class);
                LOG.info("attaching source {} ({}) to stream {}", name, factory.type(), stream);
                return target.attach(cast(source));
              },
              EventStream.Attachment::close);
      handle.held.add(key);
      handle.sources.put(stream + "/" + name, a);
    }
  }

  @SuppressWarnings("unchecked")
  private static Source<Object> cast(Source<?> source) {
    return (Source<Object>) source;
  }

  private static void startConsumer(
      Handle handle, SluiceConfig.Consumer c, Map<String, SinkFactory> types) {
    ConnectorSettings s = c.settings();
    for (String key : s.values().keySet()) {
      if (!CONSUMER_FIELDS.contains(key)) {
        throw new ConfigException(
            s.where() + ": unknown field \"" + key + "\" (known: " + CONSUMER_FIELDS + ")");
      }
    }
    List<FanOutSink.Target> targets = new ArrayList<>();
    for (int i = 0; i < c.sinks().size(); i++) {
      ConnectorSettings ss = c.sinks().get(i);
      SinkFactory factory = type(ss, types, "sink");
      String name = ss.string("name", factory.type() + "-" + i);
      targets.add(new FanOutSink.Target(ss, factory, name, ss.bool("expand", true)));
    }
    if (targets.isEmpty()) {
      throw new ConfigException(s.where() + ".sinks must name at least one sink");
    }
    WindowFunction<Object, Object> function = function(s);
    String key = handle.store.url() + "|" + c.stream() + "|" + c.group() + "|consumer";
    StreamingJob job =
        Running.acquire(
            key,
            StreamingJob::isRunning,
            () -> {
              Sink<Object> sink = FanOutSink.open(targets, handle.store, c.stream());
              Streaming<Object> streaming = handle.store.streaming(c.stream(), Object.class);
              configure(streaming, s);
              LOG.info("starting consumer of {} in group {}", c.stream(), c.group());
              return streaming.process(function).sink(sink).start();
            },
            StreamingJob::close);
    handle.held.add(key);
    handle.consumers.put(c.stream() + "/" + c.group(), job);
  }

  private static void configure(Streaming<Object> streaming, ConnectorSettings s) {
    streaming.group(s.string("group", "default"));
    streaming.workers(s.integer("workers", 1));
    ConnectorSettings w = s.object("window");
    if (w.has("count")) {
      Windows.CountEmitter count = Windows.count(w.integer("count", 1));
      streaming.window(w.has("orAfter") ? count.orAfter(w.duration("orAfter", null)) : count);
    } else if (w.has("fixed")) {
      streaming.window(Windows.fixed(w.duration("fixed", null)));
    } else if (w.has("relaxed")) {
      streaming.window(Windows.relaxed(w.duration("relaxed", null)));
    } else if (w.has("sliding")) {
      streaming.window(Windows.sliding(w.duration("sliding", null), w.duration("slide", null)));
    } else if (w.has("session")) {
      streaming.window(
          Windows.session(w.duration("session", null), w.duration("maxDuration", null)));
    } else if (!w.values().isEmpty()) {
      throw new ConfigException(
          w.where() + " must have one of count, fixed, relaxed, sliding, session: " + w.values());
    }
    Object start = s.values().get("startFrom");
    if ("earliest".equals(start)) {
      streaming.startFrom(StartFrom.EARLIEST);
    } else if ("latest".equals(start)) {
      streaming.startFrom(StartFrom.LATEST);
    } else if (start instanceof Number n) {
      streaming.startFrom(n.longValue());
    } else if (start != null) {
      throw s.bad("startFrom", "\"earliest\", \"latest\" or an offset", start);
    }
    ConnectorSettings r = s.object("retry");
    if (!r.values().isEmpty()) {
      streaming.retry(
          Retry.times(r.integer("times", 3))
              .backoff(r.duration("backoff", java.time.Duration.ofMillis(100))));
    }
  }

  @SuppressWarnings("unchecked")
  private static WindowFunction<Object, Object> function(ConnectorSettings s) {
    String name = s.string("process", null);
    if (name == null) {
      return w -> w.data();
    }
    try {
      Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
      if (!WindowFunction.class.isAssignableFrom(type)) {
        throw s.bad("process", "a class implementing dev.sluice.WindowFunction", name);
      }
      return (WindowFunction<Object, Object>) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          s.where()
              + ".process must name a class with a public no-argument constructor: \""
              + name
              + "\" ("
              + e
              + ")",
          e);
    }
  }

  private static <F> F type(ConnectorSettings s, Map<String, F> types, String what) {
    String type = s.string("type");
    F factory = types.get(type);
    if (factory == null) {
      throw s.bad(
          "type",
          "a "
              + what
              + " type on the classpath, one of "
              + types.keySet()
              + " (add the connector's module, such as sluice-mqtt, for others)",
          type);
    }
    return factory;
  }

  private static <F> Map<String, F> factories(
      Class<F> kind, java.util.function.Function<F, String> type) {
    Map<String, F> out = new TreeMap<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    for (F f : ServiceLoader.load(kind, cl == null ? Deployer.class.getClassLoader() : cl)) {
      F before = out.putIfAbsent(type.apply(f), f);
      if (before != null && before.getClass() != f.getClass()) {
        throw new ConfigException(
            "two "
                + kind.getSimpleName()
                + "s for type \""
                + type.apply(f)
                + "\": "
                + before.getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
    return out;
  }

  /** A started configuration. */
  private static final class Handle implements Deployment {
    private final Store store;
    private final boolean ownsStore;
    private final List<String> held = new ArrayList<>();
    private final Map<String, EventStream.Attachment> sources = new LinkedHashMap<>();
    private final Map<String, StreamingJob> consumers = new LinkedHashMap<>();
    private boolean closed;

    Handle(Store store, boolean ownsStore) {
      this.store = store;
      this.ownsStore = ownsStore;
    }

    @Override
    public Store store() {
      return store;
    }

    @Override
    public Map<String, EventStream.Attachment> sources() {
      return java.util.Collections.unmodifiableMap(sources);
    }

    @Override
    public Map<String, StreamingJob> consumers() {
      return java.util.Collections.unmodifiableMap(consumers);
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      // consumers first, then sources, in reverse order of starting
      for (int i = held.size() - 1; i >= 0; i--) {
        Running.release(held.get(i));
      }
      if (ownsStore) {
        store.close();
      }
    }
  }
}
