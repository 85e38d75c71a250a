package dev.sluice.spi;

import dev.sluice.StoreOptions;
import java.util.Set;

/**
 * Opens backends for URL schemes; found with {@link java.util.ServiceLoader} under {@code
 * META-INF/services/dev.sluice.spi.StoreProvider}.
 */
public interface StoreProvider {
  /** The URL schemes this provider opens, such as {@code sqlite}. */
  Set<String> schemes();

  /**
   * A key that is equal for two URLs naming the same store, such as the canonical path; stores with
   * equal keys are shared within a JVM.
   *
   * @throws IllegalArgumentException if the URL is malformed for this scheme
   */
  String canonicalUrl(String url);

  /**
   * Opens the store at a canonical URL.
   *
   * @throws dev.sluice.StoreException if it cannot be opened
   */
  StoreBackend open(String canonicalUrl, StoreOptions options);
}
