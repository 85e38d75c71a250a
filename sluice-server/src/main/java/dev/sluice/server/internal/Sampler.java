package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.GroupMetadata;
import dev.sluice.JobMetrics;
import dev.sluice.StreamMetadata;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the store and the jobs at a fixed interval: rates, lag series for the dashboard, and the
 * store gauges of {@code /metrics}, so a scrape or a dashboard poll never scans the store.
 */
final class Sampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

  record StreamPoint(
      String name, String incarnation, long records, long nextOffset, double rate, long dead) {}

  record GroupPoint(
      String stream, String group, long lag, long committed, double rate, GroupMetadata meta) {}

  record Sample(
      long millis,
      long nanos,
      Map<String, StreamPoint> streams,
      Map<String, GroupPoint> groups,
      Map<String, Long> jobWindows,
      Map<String, Double> jobRates,
      long storeBytes) {}

  private static final long RATE_WINDOW_NANOS = 1_000_000_000L;
  private final StoreView view;
  private final Jobs jobs;
  private final Clock clock;
  private final int capacity;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private final List<Runnable> publishers = new ArrayList<>();
  private volatile Sample last;

  Sampler(StoreView view, Jobs jobs, Clock clock, Duration every, Duration history) {
    this.view = view;
    this.jobs = jobs;
    this.clock = clock;
    this.capacity = (int) Math.max(2, history.toMillis() / Math.max(1, every.toMillis()));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-sampler");
              t.setDaemon(true);
              return t;
            });
    sample();
    timer.scheduleWithFixedDelay(
        this::sampleQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn("sampling the store failed: {}", e.toString());
    }
  }

  /** Takes one sample now. */
  synchronized void sample() {
    long nanos = System.nanoTime();
    Sample prev = reference(nanos);
    double dt = prev == null ? 0 : (nanos - prev.nanos()) / 1e9;
    Map<String, StreamPoint> streams = new LinkedHashMap<>();
    Map<String, GroupPoint> groups = new LinkedHashMap<>();
    List<String> names = view.streams();
    view.retain(names);
    Set<String> all = new LinkedHashSet<>(names);
    for (String name : names) {
      if (StoreView.isDeadLetters(name)) {
        continue;
      }
      StreamMetadata m = view.metadata(name).orElse(null);
      if (m == null) {
        continue;
      }
      long dead =
          all.contains(name + StoreView.DLQ)
              ? view.metadata(name + StoreView.DLQ).map(StreamMetadata::recordCount).orElse(0L)
              : 0;
      StreamPoint before = prev == null ? null : prev.streams().get(name);
      double rate =
          before == null || !before.incarnation().equals(m.incarnation()) || dt <= 0
              ? 0
              : Math.max(0, (m.nextOffset() - before.nextOffset()) / dt);
      streams.put(
          name,
          new StreamPoint(name, m.incarnation(), m.recordCount(), m.nextOffset(), rate, dead));
      for (GroupMetadata g : view.groups(name)) {
        String key = name + "/" + g.name();
        GroupPoint gb = prev == null ? null : prev.groups().get(key);
        double grate =
            gb == null || dt <= 0 ? 0 : Math.max(0, (g.committed() - gb.committed()) / dt);
        groups.put(key, new GroupPoint(name, g.name(), g.lag(), g.committed(), grate, g));
      }
    }
    Map<String, Long> windows = new LinkedHashMap<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Jobs.Started s : jobs.all()) {
      JobMetrics m = s.metrics();
      if (m == null) {
        continue;
      }
      windows.put(s.name(), m.windowsDone());
      Long before = prev == null ? null : prev.jobWindows().get(s.name());
      rates.put(
          s.name(), before == null || dt <= 0 ? 0 : Math.max(0, (m.windowsDone() - before) / dt));
    }
    Sample now =
        new Sample(clock.millis(), nanos, streams, groups, windows, rates, view.sizeBytes());
    last = now;
    synchronized (samples) {
      samples.addLast(now);
      while (samples.size() > capacity) {
        samples.removeFirst();
      }
    }
    publish(now);
  }

  /** The sample to measure rates against: the newest one at least a second old, else the oldest. */
  private Sample reference(long nanos) {
    synchronized (samples) {
      var it = samples.descendingIterator();
      Sample ref = null;
      while (it.hasNext()) {
        ref = it.next();
        if (nanos - ref.nanos() >= RATE_WINDOW_NANOS) {
          break;
        }
      }
      return ref;
    }
  }

  Sample last() {
    return last;
  }

  double windowRate(String job) {
    Sample s = last;
    return s == null ? 0 : s.jobRates().getOrDefault(job, 0.0);
  }

  void bindMetrics(MeterRegistry registry) {
    stream(registry, "sluice.stream.records", "Records the stream holds", p -> p.records());
    stream(
        registry,
        "sluice.stream.next.offset",
        "The offset the next append gets",
        p -> p.nextOffset());
    stream(
        registry,
        "sluice.stream.append.rate",
        "Records appended per second, last sample",
        p -> p.rate());
    stream(registry, "sluice.stream.dead.letters", "Records in the stream's .dlq", p -> p.dead());
    group(
        registry, "sluice.group.lag", "Records from the committed offset to the end", p -> p.lag());
    group(
        registry,
        "sluice.group.committed.offset",
        "The group's committed offset",
        p -> p.committed());
    group(
        registry,
        "sluice.group.consume.rate",
        "Records committed per second, last sample",
        p -> p.rate());
    group(registry, "sluice.group.windows.done", "Windows committed", p -> p.meta().windowsDone());
    group(
        registry, "sluice.group.windows.failed", "Failed attempts", p -> p.meta().windowsFailed());
    group(
        registry,
        "sluice.group.windows.dead.lettered",
        "Windows finished with dead-lettered records",
        p -> p.meta().windowsDeadLettered());
    Gauge.builder("sluice.store.size", this, s -> s.last == null ? -1 : s.last.storeBytes())
        .description("Bytes the store occupies on disk (-1 if unknown)")
        .baseUnit("bytes")
        .register(registry);
    publish(last);
  }

  /** One gauge row, registered once and updated in place, so a scrape never sees it twice. */
  private static final class Cell {
    volatile double value;
    Gauge gauge;
  }

  private final Map<String, Cell> cells = new java.util.concurrent.ConcurrentHashMap<>();

  private void stream(
      MeterRegistry registry, String name, String description, ToDoubleFunction<StreamPoint> f) {
    synchronized (publishers) {
      publishers.add(
          () -> {
            Map<Tags, Double> rows = new LinkedHashMap<>();
            for (StreamPoint p : last.streams().values()) {
              rows.put(Tags.of("stream", p.name()), f.applyAsDouble(p));
            }
            update(registry, name, description, rows);
          });
    }
  }

  private void group(
      MeterRegistry registry, String name, String description, ToDoubleFunction<GroupPoint> f) {
    synchronized (publishers) {
      publishers.add(
          () -> {
            Map<Tags, Double> rows = new LinkedHashMap<>();
            for (GroupPoint p : last.groups().values()) {
              rows.put(Tags.of("stream", p.stream(), "group", p.group()), f.applyAsDouble(p));
            }
            update(registry, name, description, rows);
          });
    }
  }

  private void update(
      MeterRegistry registry, String name, String description, Map<Tags, Double> rows) {
    Set<String> current = new java.util.HashSet<>();
    for (Map.Entry<Tags, Double> row : rows.entrySet()) {
      String key = name + row.getKey();
      current.add(key);
      Cell cell =
          cells.computeIfAbsent(
              key,
              k -> {
                Cell c = new Cell();
                c.gauge =
                    Gauge.builder(name, c, x -> x.value)
                        .description(description)
                        .tags(row.getKey())
                        .register(registry);
                return c;
              });
      cell.value = row.getValue();
    }
    cells
        .entrySet()
        .removeIf(
            e -> {
              boolean gone = e.getKey().startsWith(name + "[") && !current.contains(e.getKey());
              if (gone) {
                registry.remove(e.getValue().gauge);
              }
              return gone;
            });
  }

  private void publish(Sample s) {
    if (s == null) {
      return;
    }
    synchronized (publishers) {
      publishers.forEach(Runnable::run);
    }
  }

  /** The kept series, oldest first, as the dashboard draws them. */
  ObjectNode history() {
    List<Sample> copy;
    synchronized (samples) {
      copy = new ArrayList<>(samples);
    }
    ObjectNode out = Json.object();
    ArrayNode times = out.putArray("times");
    ObjectNode streams = out.putObject("streams");
    ObjectNode groups = out.putObject("groups");
    for (int i = 0; i < copy.size(); i++) {
      Sample s = copy.get(i);
      times.add(s.millis());
      for (StreamPoint p : s.streams().values()) {
        ObjectNode series = series(streams, p.name(), i, "records", "rate");
        ((ArrayNode) series.get("records")).set(i, p.records());
        ((ArrayNode) series.get("rate")).set(i, round(p.rate()));
      }
      for (Map.Entry<String, GroupPoint> e : s.groups().entrySet()) {
        ObjectNode series = series(groups, e.getKey(), i, "lag", "rate");
        series.put("stream", e.getValue().stream());
        series.put("group", e.getValue().group());
        ((ArrayNode) series.get("lag")).set(i, e.getValue().lag());
        ((ArrayNode) series.get("rate")).set(i, round(e.getValue().rate()));
      }
    }
    int n = copy.size();
    for (ObjectNode parent : List.of(streams, groups)) {
      parent.forEach(
          series ->
              series.forEach(
                  a -> {
                    if (a.isArray()) {
                      while (a.size() < n) {
                        ((ArrayNode) a).addNull();
                      }
                    }
                  }));
    }
    return out;
  }

  private static ObjectNode series(ObjectNode parent, String key, int upTo, String... fields) {
    ObjectNode series = (ObjectNode) parent.get(key);
    if (series == null) {
      series = parent.putObject(key);
      for (String f : fields) {
        ArrayNode a = series.putArray(f);
        for (int j = 0; j < upTo; j++) {
          a.addNull();
        }
      }
    }
    for (String f : fields) {
      ArrayNode a = (ArrayNode) series.get(f);
      while (a.size() <= upTo) {
        a.addNull();
      }
    }
    return series;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
