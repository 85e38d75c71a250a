package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import dev.sluice.server.RunningApp;
import dev.sluice.server.ServerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started app: the store, the jobs, the sampler and the Jetty server, closed in reverse. */
public final class AppRuntime implements RunningApp {
  private static final Logger LOG = LoggerFactory.getLogger(AppRuntime.class);

  private final AppConfig config;
  private final Store store;
  private final boolean ownsStore;
  private final StoreView view;
  private final PrometheusMeterRegistry registry;
  private final WindowLog windows;
  private final Clock clock = Clock.systemUTC();
  private final Instant started = clock.instant();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final CountDownLatch closed = new CountDownLatch(1);
  private Jobs jobs;
  private Sampler sampler;
  private Server server;
  private Front front;
  private URI uri;
  private int port;

  private AppRuntime(AppConfig config, Store store, boolean ownsStore) {
    this.config = config;
    this.store = store;
    this.ownsStore = ownsStore;
    this.view = new StoreView(store);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.windows = new WindowLog(config.recentWindows(), clock, registry);
  }

  /** Starts an app as configured; on failure, stops whatever had started. */
  public static RunningApp start(AppConfig config) {
    boolean owns = config.store() == null;
    Store store = owns ? Sluice.open(config.storeUrl()) : config.store();
    AppRuntime app = new AppRuntime(config, store, owns);
    try {
      app.startParts();
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    return app;
  }

  private void startParts() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    jobs = Jobs.start(config.declarations(), store, windows);
    jobs.bindMetrics(registry);
    sampler = new Sampler(view, jobs, clock, config.sampleEvery(), config.history());
    sampler.bindMetrics(registry);

    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("sluice-http");
    threads.setDaemon(true);
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(8 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    boolean loopback = Tokens.isLoopback(config.host());
    front = new Front(this, config, loopback);
    server.setHandler(front);
    server.setErrorHandler(new JsonErrors());
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      throw new ServerException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    port = connector.getLocalPort();
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (host.equals("0.0.0.0")) {
      host = InetAddress.getLoopbackAddress().getHostAddress();
    }
    uri = URI.create("http://" + host + ":" + port + "/");
    LOG.info("serving {} at {}", store.url(), uri);
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  StoreView view() {
    return view;
  }

  Sampler sampler() {
    return sampler;
  }

  boolean isOpen() {
    return open.get();
  }

  /** Counts records appended over HTTP and wakes live tails. */
  void appended(String stream, int count) {
    Counter.builder("sluice.http.ingested.records")
        .description("Records appended through POST /streams/{name}")
        .tag("stream", stream)
        .register((MeterRegistry) registry)
        .increment(count);
    front.tail().wake();
  }

  List<String> notReady() {
    List<String> problems = new ArrayList<>();
    if (!open.get()) {
      problems.add("the app is closing");
      return problems;
    }
    try {
      view.streams();
    } catch (RuntimeException e) {
      problems.add("the store does not answer: " + e.getMessage());
    }
    problems.addAll(jobs.notRunning());
    return problems;
  }

  ObjectNode status() {
    ObjectNode o = Json.object();
    ObjectNode s = o.putObject("store");
    s.put("url", store.url());
    Sampler.Sample last = sampler.last();
    s.put("sizeBytes", last == null ? -1 : last.storeBytes());
    o.put("startedAt", started.toString());
    o.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
    ArrayNode jobsJson = o.putArray("jobs");
    jobs.describe(sampler).forEach(jobsJson::add);
    ArrayNode streams = o.putArray("streams");
    ArrayNode groups = o.putArray("groups");
    for (String name : view.streams()) {
      if (StoreView.isDeadLetters(name)) {
        continue;
      }
      StreamMetadata m = view.metadata(name).orElse(null);
      if (m == null) {
        continue;
      }
      Sampler.StreamPoint p = last == null ? null : last.streams().get(name);
      ObjectNode so = streams.addObject();
      so.put("name", name);
      so.put("records", m.recordCount());
      so.put("nextOffset", m.nextOffset());
      so.put("lastAppend", m.lastAppend() == null ? null : m.lastAppend().toString());
      so.put("appendRate", p == null ? 0 : Sampler.round(p.rate()));
      so.put(
          "deadLetters",
          view.metadata(name + StoreView.DLQ).map(StreamMetadata::recordCount).orElse(0L));
      for (var g : view.groups(name)) {
        ObjectNode go = Front.group(name, g);
        Sampler.GroupPoint gp = last == null ? null : last.groups().get(name + "/" + g.name());
        go.put("consumeRate", gp == null ? 0 : Sampler.round(gp.rate()));
        groups.add(go);
      }
    }
    return o;
  }

  ArrayNode windows(int max) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (WindowLog.Entry e : windows.recent(max)) {
      ObjectNode o = a.addObject();
      o.put("job", e.job());
      o.put("id", e.id());
      o.put("stream", e.stream());
      o.put("group", e.group());
      o.put("size", e.size());
      o.put("firstOffset", e.firstOffset());
      o.put("lastOffset", e.lastOffset());
      o.put("attempt", e.attempt());
      o.put("finished", e.finished().toString());
      o.put("durationMillis", e.duration().toNanos() / 1e6);
      o.put("outcome", e.outcome());
      if (e.error() != null) {
        o.put("error", e.error());
      }
    }
    return a;
  }

  /** The newest dead letters of every stream, newest first. */
  ArrayNode deadLetters(int max) {
    List<ObjectNode> all = new ArrayList<>();
    for (String name : view.streams()) {
      if (!StoreView.isDeadLetters(name)) {
        continue;
      }
      StreamMetadata m = view.metadata(name).orElse(null);
      if (m == null || m.recordCount() == 0) {
        continue;
      }
      long from = Math.max(m.firstOffset(), m.nextOffset() - max);
      for (Record<Map<String, Object>> r : view.deadLetters(name, from, max)) {
        ObjectNode o = Json.object();
        o.put("deadLetterStream", name);
        o.put("offset", r.offset());
        o.put("timestamp", r.timestamp().toString());
        o.set("letter", Json.MAPPER.valueToTree(r.value()));
        all.add(o);
      }
    }
    all.sort(Comparator.comparing((ObjectNode o) -> o.get("timestamp").asText()).reversed());
    ArrayNode a = Json.MAPPER.createArrayNode();
    all.stream().limit(max).forEach(a::add);
    return a;
  }

  @Override
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public boolean awaitClose(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    try {
      if (front != null) {
        front.tail().wake();
      }
      if (server != null) {
        try {
          server.stop();
        } catch (Exception e) {
          LOG.warn("stopping the HTTP server failed", e);
        }
      }
      if (jobs != null) {
        jobs.close();
      }
      if (sampler != null) {
        sampler.close();
      }
      registry.close();
      if (ownsStore) {
        store.close();
      }
    } finally {
      closed.countDown();
    }
  }
}
