package dev.sluice;

import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a consumer tries a failing window, and how long it waits between tries. Immutable.
 *
 * <p>{@code Retry.times(5).backoff(Duration.ofMillis(100))} tries a window up to 5 times, waiting
 * 100 ms, then 200 ms, 400 ms… (doubling, at most {@link #maxBackoff}) between tries. What happens
 * after the last try is the consumer's {@link DeadLetter} policy. Waits are on the store's clock,
 * so a test's manual clock drives them.
 */
@CheckReturnValue
public final class Retry {
  private static final Retry DEFAULT =
      new Retry(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(30));

  private final int attempts;
  private final Duration backoff;
  private final double multiplier;
  private final Duration maxBackoff;

  private Retry(int attempts, Duration backoff, double multiplier, Duration maxBackoff) {
    this.attempts = attempts;
    this.backoff = backoff;
    this.multiplier = multiplier;
    this.maxBackoff = maxBackoff;
  }

  /** Three tries, 100 ms apart then doubling: the default. */
  public static Retry defaults() {
    return DEFAULT;
  }

  /** One try: a failing window goes straight to the dead-letter policy. */
  public static Retry none() {
    return new Retry(1, Duration.ZERO, 1.0, Duration.ZERO);
  }

  /**
   * Up to {@code attempts} tries of a window (the first included), 100 ms apart then doubling.
   *
   * @throws IllegalArgumentException if {@code attempts} is less than 1
   */
  public static Retry times(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1: " + attempts);
    }
    return new Retry(attempts, DEFAULT.backoff, DEFAULT.multiplier, DEFAULT.maxBackoff);
  }

  /**
   * The wait before the second try; each later wait is twice the one before.
   *
   * @throws IllegalArgumentException if the duration is negative
   */
  public Retry backoff(Duration first) {
    Objects.requireNonNull(first, "backoff");
    if (first.isNegative()) {
      throw new IllegalArgumentException("retry backoff must not be negative: " + first);
    }
    return new Retry(attempts, first, multiplier, max(maxBackoff, first));
  }

  /**
   * The wait before the second try, and every later one: no doubling.
   *
   * @throws IllegalArgumentException if the duration is negative
   */
  public Retry fixedBackoff(Duration wait) {
    Retry r = backoff(wait);
    return new Retry(r.attempts, r.backoff, 1.0, r.backoff);
  }

  /**
   * The longest wait between tries.
   *
   * @throws IllegalArgumentException if the duration is negative
   */
  public Retry maxBackoff(Duration max) {
    Objects.requireNonNull(max, "maxBackoff");
    if (max.isNegative()) {
      throw new IllegalArgumentException("retry maxBackoff must not be negative: " + max);
    }
    return new Retry(attempts, backoff.compareTo(max) > 0 ? max : backoff, multiplier, max);
  }

  /** How many tries a window gets, the first included. */
  public int attempts() {
    return attempts;
  }

  /** The wait after the {@code failed}-th failed try (1-based). */
  public Duration delayAfter(int failed) {
    double millis = backoff.toMillis() * Math.pow(multiplier, Math.max(0, failed - 1));
    return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return "Retry.times(" + attempts + ").backoff(" + backoff + ").maxBackoff(" + maxBackoff + ")";
  }
}
