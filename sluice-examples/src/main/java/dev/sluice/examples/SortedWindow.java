package dev.sluice.examples;

import dev.sluice.EmitterContext;
import dev.sluice.Record;
import dev.sluice.WindowBounds;
import dev.sluice.WindowEmitter;
import dev.sluice.Windows;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * minibatch's {@code SortedWindow} as a custom {@link WindowEmitter}: pending records sorted by a
 * field, the even ones kept, ten at a time. {@code WindowEmitter}'s Javadoc and docs/CONSUMERS.md
 * show this code.
 */
public final class SortedWindow implements WindowEmitter<Map<String, Object>> {
  @Override
  public Optional<WindowBounds> next(EmitterContext<? extends Map<String, Object>> ctx) {
    return Windows.count(10).next(ctx); // the built-in emitters compose with a typed one
  }

  @Override
  public List<Record<Map<String, Object>>> arrange(List<Record<Map<String, Object>>> records) {
    return records.stream()
        .filter(r -> ((Number) r.value().get("n")).intValue() % 2 == 0)
        .sorted(Comparator.comparing(r -> ((Number) r.value().get("n")).intValue()))
        .toList();
  }
}
