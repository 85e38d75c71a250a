package dev.sluice;

import dev.sluice.internal.Stores;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.Codec;
import java.util.Map;

/**
 * The entry point: open stores, and reach streams on the default store in one line.
 *
 * <pre>{@code
 * var stream = Sluice.stream("test");
 * stream.append(Map.of("date", Instant.now().toString()));
 * }</pre>
 *
 * <p>The default store is the URL in the environment variable {@code SLUICE_URL} (or the system
 * property {@code sluice.url}), else {@code sqlite:./sluice-data}. It is opened on first use, its
 * location is logged, and it is closed when the JVM exits. Thread-safe.
 */
public final class Sluice {
  /** The URL of the default store when neither {@code SLUICE_URL} nor {@code sluice.url} is set. */
  public static final String DEFAULT_URL = "sqlite:./sluice-data";

  private Sluice() {}

  /**
   * Checks a stream name against the naming rule — 1–200 characters of {@code [A-Za-z0-9._-]}, not
   * starting with {@code .}, not ending in {@code .dlq} — and returns it, so a tool can refuse a
   * bad name before it reads any input.
   *
   * @throws IllegalArgumentException naming the rule and showing the value
   */
  public static String checkStreamName(String name) {
    return Names.checkStream(name);
  }

  /**
   * Opens a store: {@code sqlite:PATH}, {@code mem:} (a fresh one) or {@code mem:NAME} (shared by
   * name while open), and the URLs of installed backends. The same location opened twice in one JVM
   * shares one store.
   *
   * @throws IllegalArgumentException if no backend handles the URL's scheme
   * @throws StoreException if the store cannot be opened
   */
  public static Store open(String url) {
    return Stores.open(url, StoreOptions.defaults());
  }

  /** As {@link #open(String)}, with options. */
  public static Store open(String url, StoreOptions options) {
    return Stores.open(url, options);
  }

  /** The default store, opened on first use. Do not close it; it closes when the JVM exits. */
  public static Store defaultStore() {
    return Stores.defaultStore();
  }

  /** The default store's stream of JSON objects with this name; created if absent. */
  public static EventStream<Map<String, Object>> stream(String name) {
    return defaultStore().stream(name);
  }

  /** The default store's stream of JSON values of a type; created if absent. */
  public static <T> EventStream<T> stream(String name, Class<T> type) {
    return defaultStore().stream(name, type);
  }

  /** The default store's stream with a codec; created if absent. */
  public static <T> EventStream<T> stream(String name, Codec<T> codec) {
    return defaultStore().stream(name, codec);
  }

  /** A consumer of the default store's stream of JSON objects with this name. */
  public static Streaming<Map<String, Object>> streaming(String name) {
    return defaultStore().streaming(name);
  }

  /** A consumer of the default store's stream of JSON values of a type. */
  public static <T> Streaming<T> streaming(String name, Class<T> type) {
    return defaultStore().streaming(name, type);
  }

  /** A consumer of the default store's stream with a codec. */
  public static <T> Streaming<T> streaming(String name, Codec<T> codec) {
    return defaultStore().streaming(name, codec);
  }
}
