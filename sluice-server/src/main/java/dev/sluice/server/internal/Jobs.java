package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.EventStream;
import dev.sluice.JobMetrics;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.server.ServerException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers, jobs and sources an app started, with their states. The few places that read a
 * {@link StreamingJob}'s state are here, so a change of that API touches this class only.
 */
final class Jobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  /** One started declaration: a job or an attachment. */
  record Started(Declaration declaration, StreamingJob job, EventStream.Attachment attachment) {
    String name() {
      return declaration.name();
    }

    String state() {
      if (job != null) {
        return job.isRunning() ? "RUNNING" : job.failure().isPresent() ? "FAILED" : "STOPPED";
      }
      return attachment.isRunning()
          ? "RUNNING"
          : attachment.failure().isPresent() ? "FAILED" : "FINISHED";
    }

    Optional<Throwable> failure() {
      return job != null ? job.failure() : attachment.failure();
    }

    JobMetrics metrics() {
      return job == null ? null : job.metrics();
    }
  }

  private final List<Started> started;

  private Jobs(List<Started> started) {
    this.started = started;
  }

  /** Starts every declaration in order; if one fails, stops those started and throws. */
  static Jobs start(List<Declaration> declarations, Store store, WindowLog log) {
    List<Started> started = new ArrayList<>();
    Jobs jobs = new Jobs(started);
    for (Declaration d : declarations) {
      try {
        if (d.job() != null) {
          started.add(new Started(d, d.job().apply(store, log), null));
        } else {
          started.add(new Started(d, null, d.source().apply(store)));
        }
      } catch (RuntimeException e) {
        jobs.close();
        throw new ServerException(
            d.kind() + " \"" + d.name() + "\" failed to start: " + e.getMessage(), e);
      }
    }
    return jobs;
  }

  List<Started> all() {
    return started;
  }

  void bindMetrics(MeterRegistry registry) {
    for (Started s : started) {
      Gauge.builder("sluice.job.running", s, x -> x.state().equals("RUNNING") ? 1 : 0)
          .description("1 while the job or source runs, else 0")
          .tag("job", s.name())
          .tag("kind", s.declaration().kind())
          .register(registry);
      if (s.job() != null) {
        counter(registry, s, "sluice.job.windows.done", "Windows committed", m -> m.windowsDone());
        counter(
            registry, s, "sluice.job.windows.failed", "Failed attempts", m -> m.windowsFailed());
        counter(
            registry,
            s,
            "sluice.job.records.processed",
            "Records in committed windows",
            m -> m.recordsProcessed());
        counter(
            registry,
            s,
            "sluice.job.records.dead.lettered",
            "Records sent to the dead-letter stream",
            m -> m.recordsDeadLettered());
      } else {
        FunctionCounter.builder("sluice.source.appended", s, x -> x.attachment().appended())
            .description("Records a source appended")
            .tag("source", s.name())
            .register(registry);
      }
    }
  }

  private static void counter(
      MeterRegistry registry,
      Started s,
      String name,
      String description,
      ToDoubleFunction<JobMetrics> value) {
    FunctionCounter.builder(name, s, x -> value.applyAsDouble(x.metrics()))
        .description(description)
        .tag("job", s.name())
        .register(registry);
  }

  /** How each started thing is doing, as JSON. */
  List<ObjectNode> describe(Sampler sampler) {
    List<ObjectNode> out = new ArrayList<>();
    for (Started s : started) {
      ObjectNode o = Json.object();
      o.put("name", s.name());
      o.put("kind", s.declaration().kind());
      o.put("state", s.state());
      s.failure().ifPresent(f -> o.put("failure", describe(f)));
      JobMetrics m = s.metrics();
      if (m != null) {
        o.put("windowsDone", m.windowsDone());
        o.put("windowsFailed", m.windowsFailed());
        o.put("windowsDeadLettered", m.windowsDeadLettered());
        o.put("recordsProcessed", m.recordsProcessed());
        o.put("recordsDeadLettered", m.recordsDeadLettered());
        o.put("leasesLost", m.leasesLost());
        o.put("inFlight", m.inFlight());
        o.put("windowsPerSecond", sampler.windowRate(s.name()));
      } else {
        o.put("appended", s.attachment().appended());
      }
      out.add(o);
    }
    return out;
  }

  /** A failure and its causes, one line, without stack traces. */
  static String describe(Throwable failure) {
    StringBuilder sb = new StringBuilder();
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
      sb.append(depth == 0 ? "" : "; caused by ").append(t.getClass().getName());
      if (t.getMessage() != null) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

  /** Whether every consumer and job runs (a finished source is fine). */
  List<String> notRunning() {
    List<String> out = new ArrayList<>();
    for (Started s : started) {
      String state = s.state();
      if (state.equals("FAILED") || state.equals("STOPPED")) {
        out.add(s.name() + " is " + state);
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (Started s : started) {
      try {
        if (s.job() != null) {
          s.job().close();
        } else {
          s.attachment().close();
        }
      } catch (RuntimeException e) {
        LOG.warn("stopping {} failed", s.name(), e);
      }
    }
  }
}
