package dev.sluice.spi.consumer;

import dev.sluice.SluiceException;

/**
 * Carries a checked exception thrown by the work of a {@link ConsumerTables} transaction (a
 * handler's sink, a check) out through the backend, so the engine sees what the work threw.
 * Backends throw it from {@link ConsumerTables#read} and {@link ConsumerTables#write} for checked
 * exceptions of the work; unchecked ones pass as themselves.
 */
public final class ConsumerWorkException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Wraps a checked exception of the work. */
  public ConsumerWorkException(Exception cause) {
    super(cause.toString(), cause);
  }

  /** The exception the work threw. */
  @Override
  public synchronized Exception getCause() {
    return (Exception) super.getCause();
  }
}
