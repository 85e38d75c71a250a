package dev.sluice;

/** What a consumer does with a window that still fails after its retries. */
public enum DeadLetter {
  /**
   * Retries the window record by record, then sends only the records that still fail to {@code
   * <stream>.dlq}; the others are processed. The default: one poison record does not dead-letter
   * the good ones beside it.
   */
  RECORD,
  /** Sends the whole window's records to {@code <stream>.dlq}. */
  WINDOW,
  /**
   * Stops the job with the failure; the window stays unfinished and is claimed again when a
   * consumer of the group next runs.
   */
  STOP
}
