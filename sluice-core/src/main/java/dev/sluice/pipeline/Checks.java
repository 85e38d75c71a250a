package dev.sluice.pipeline;

import java.time.Duration;
import java.util.regex.Pattern;

/** Validation at the edge of the pipeline API; messages name the rule and show the bad value. */
final class Checks {
  static final int MAX_WORKERS = 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private Checks() {}

  static String name(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " name must match " + NAME.pattern() + ": " + describe(name));
    }
    return name;
  }

  static int positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1: " + value);
    }
    return value;
  }

  static int workers(String step, int workers) {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "workers of step '" + step + "' must be between 1 and " + MAX_WORKERS + ": " + workers);
    }
    return workers;
  }

  static Duration positive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be a positive duration: " + value);
    }
    return value;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return text + " (" + value.getClass().getName() + ")";
  }
}
