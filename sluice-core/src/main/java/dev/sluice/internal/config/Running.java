package dev.sluice.internal.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What configurations started in this JVM, by key (store URL, stream, source name or group): a
 * second start of the same source or consumer gets the running one and a reference count, so
 * re-attaching never starts a second thread or a second read of the source.
 */
final class Running {
  private static final Map<String, Held<?>> HELD = new HashMap<>();

  private Running() {}

  private static final class Held<T> {
    final T value;
    final Consumer<T> closer;
    int refs = 1;

    Held(T value, Consumer<T> closer) {
      this.value = value;
      this.closer = closer;
    }

    void close() {
      closer.accept(value);
    }
  }

  /** The running value under {@code key}, or a new one from {@code start}. */
  @SuppressWarnings("unchecked")
  static synchronized <T> T acquire(
      String key, Predicate<T> running, Supplier<T> start, Consumer<T> closer) {
    Held<T> h = (Held<T>) HELD.get(key);
    if (h != null && running.test(h.value)) {
      h.refs++;
      return h.value;
    }
    if (h != null) {
      HELD.remove(key);
      h.close();
    }
    T value = start.get();
    HELD.put(key, new Held<>(value, closer));
    return value;
  }

  /** Drops one reference; the last closes the value. */
  static void release(String key) {
    Held<?> last;
    synchronized (Running.class) {
      Held<?> h = HELD.get(key);
      if (h == null || --h.refs > 0) {
        return;
      }
      HELD.remove(key);
      last = h;
    }
    last.close();
  }
}
