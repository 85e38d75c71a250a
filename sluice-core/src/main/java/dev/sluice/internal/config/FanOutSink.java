package dev.sluice.internal.config;

import dev.sluice.Sinks;
import dev.sluice.Store;
import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Sink;
import dev.sluice.spi.SinkFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The sinks of a configured consumer: each result goes to every sink in order, expanded ({@link
 * Sinks#expand}) for those with {@code "expand": true} (the default). At-least-once: when a sink
 * fails, the window is retried and the sinks before it write again.
 */
final class FanOutSink implements Sink<Object> {
  /** One configured sink. */
  record Target(ConnectorSettings settings, SinkFactory factory, String name, boolean expand) {}

  private final List<Sink<Object>> sinks;
  private final List<Boolean> expand;

  private FanOutSink(List<Sink<Object>> sinks, List<Boolean> expand) {
    this.sinks = sinks;
    this.expand = expand;
  }

  static Sink<Object> open(List<Target> targets, Store store, String stream) {
    List<Sink<Object>> sinks = new ArrayList<>();
    List<Boolean> expand = new ArrayList<>();
    try {
      for (Target t : targets) {
        Sink<Object> raw =
            t.factory().create(t.settings(), new ConnectorContext(store, stream, t.name()));
        sinks.add(raw);
        expand.add(t.expand());
      }
    } catch (RuntimeException e) {
      for (Sink<Object> s : sinks) {
        try {
          s.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new FanOutSink(sinks, expand);
  }

  @Override
  public void write(Object value) throws Exception {
    writeAll(List.of(value));
  }

  @Override
  public void writeAll(List<?> values) throws Exception {
    for (int i = 0; i < sinks.size(); i++) {
      Sink<Object> sink = sinks.get(i);
      if (expand.get(i)) {
        List<Iterable<?>> lists = new ArrayList<>(values.size());
        for (Object v : values) {
          lists.add(v instanceof Iterable<?> it ? it : List.of(v));
        }
        Sinks.<Object>expand(sink).writeAll(lists);
      } else {
        sink.writeAll(values);
      }
    }
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (Sink<Object> s : sinks) {
      try {
        s.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
