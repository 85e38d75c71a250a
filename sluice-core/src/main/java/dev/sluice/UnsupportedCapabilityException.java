package dev.sluice;

import dev.sluice.spi.Capability;
import java.util.Objects;

/**
 * A store was asked for something its backend cannot do, such as running consumers on a backend
 * without consumer tables, or a table sink on a store that is not a SQL database. The message names
 * the store, what was asked and the missing {@link Capability}.
 */
public class UnsupportedCapabilityException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The capability that is missing. */
  private final Capability missing;

  /**
   * Creates the exception.
   *
   * @param storeUrl the store's URL
   * @param what what was asked, such as {@code "consumers (Streaming)"}
   * @param missing the capability the backend lacks
   */
  public UnsupportedCapabilityException(String storeUrl, String what, Capability missing) {
    super(
        "store "
            + storeUrl
            + " cannot run "
            + what
            + ": its backend lacks the capability "
            + Objects.requireNonNull(missing, "missing"));
    this.missing = missing;
  }

  /** The capability that is missing. */
  public Capability missing() {
    return missing;
  }
}
