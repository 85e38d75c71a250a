package dev.sluice;

import java.util.List;
import java.util.Optional;

/**
 * Decides when a window is ready and what it holds. {@link Windows} has the usual ones; write your
 * own for any other rule.
 *
 * <p>Called by one thread at a time for a group and partition, often; it must be quick and must not
 * block. It may keep no state of its own: everything it needs is in the {@link EmitterContext}, so
 * a window is formed the same way whichever worker or process claims it.
 *
 * <pre>{@code
 * // minibatch's SortedWindow: sort pending records by a field, keep the even ones, 10 at a time
 * public final class SortedWindow implements WindowEmitter<Map<String, Object>> {
 *   public Optional<WindowBounds> next(EmitterContext<? extends Map<String, Object>> ctx) {
 *     return Windows.count(10).next(ctx); // the built-in emitters compose with a typed one
 *   }
 *
 *   public List<Record<Map<String, Object>>> arrange(List<Record<Map<String, Object>>> records) {
 *     return records.stream()
 *         .filter(r -> ((Number) r.value().get("n")).intValue() % 2 == 0)
 *         .sorted(Comparator.comparing(r -> ((Number) r.value().get("n")).intValue()))
 *         .toList();
 *   }
 * }
 * }</pre>
 *
 * <p>(From {@code sluice-examples}' {@code SortedWindow}, which its tests run.)
 *
 * @param <T> the value type
 */
public interface WindowEmitter<T> {
  /**
   * The next window at the context's cursor, or empty if none is ready yet. The context may be of
   * any subtype of {@code T}, so the emitters of {@link Windows} (of {@code Object}) serve inside
   * an emitter of any value type.
   *
   * <p>An exception thrown here stops the job: {@link StreamingJob#failure()} reports it, {@link
   * Streaming#run} and {@link Streaming#once} throw it.
   */
  Optional<WindowBounds> next(EmitterContext<? extends T> context);

  /**
   * Reorders or filters a window's records before the handler sees them; records left out count as
   * consumed. The default keeps them as they are, in offset order.
   */
  default List<Record<T>> arrange(List<Record<T>> records) {
    return records;
  }
}
