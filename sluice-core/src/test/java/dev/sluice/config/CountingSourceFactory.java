package dev.sluice.config;

import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Source;
import dev.sluice.spi.SourceFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test source type, {@code "counting"}: emits {@code count} values then waits until closed;
 * counts how many sources were made and how many are running.
 */
public final class CountingSourceFactory implements SourceFactory {
  static final AtomicInteger CREATED = new AtomicInteger();
  static final AtomicInteger RUNNING = new AtomicInteger();

  @Override
  public String type() {
    return "counting";
  }

  @Override
  public Source<?> create(ConnectorSettings settings, ConnectorContext context) {
    int count = settings.integer("count", 3);
    CREATED.incrementAndGet();
    return new Source<Map<String, Object>>() {
      @Override
      public void run(Emitter<? super Map<String, Object>> emitter) throws Exception {
        RUNNING.incrementAndGet();
        try {
          for (int i = 0; i < count; i++) {
            emitter.emit(Map.of("i", i, "source", context.name()));
          }
          Thread.sleep(Long.MAX_VALUE);
        } finally {
          RUNNING.decrementAndGet();
        }
      }
    };
  }
}
