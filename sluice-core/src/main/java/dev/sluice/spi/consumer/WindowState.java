package dev.sluice.spi.consumer;

/** Where a window of a group stands; stored by backends as {@link #code()}. */
public enum WindowState {
  /** Claimed by one worker, whose fencing token it carries. */
  CLAIMED(0),
  /**
   * Released by its worker (stopped, or waiting out a retry's backoff): any worker may claim it.
   */
  OPEN(1),
  /** Committed. */
  DONE(2),
  /** Finished with dead-lettered records. */
  DEAD(3);

  private final int code;

  WindowState(int code) {
    this.code = code;
  }

  /** The number a backend stores for this state; stable across versions. */
  public int code() {
    return code;
  }

  /** Whether a window in this state is finished (done or dead). */
  public boolean finished() {
    return this == DONE || this == DEAD;
  }

  /**
   * The state stored as {@code code}.
   *
   * @throws IllegalArgumentException for an unknown code
   */
  public static WindowState of(int code) {
    for (WindowState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("window state code must be 0..3: " + code);
  }
}
