package dev.sluice.internal.base;

import java.util.regex.Pattern;

/** Validates stream and group names at the edge, once, before they reach SQL or a file path. */
public final class Names {
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

  /** The suffix of dead-letter streams, reserved for Sluice. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private static final int MAX_LENGTH = 200;

  private Names() {}

  /**
   * Checks a stream name a user gave.
   *
   * @throws IllegalArgumentException naming the rule and showing the bad value
   */
  public static String checkStream(String name) {
    checkSyntax("stream name", name, MAX_LENGTH);
    if (name.endsWith(DEAD_LETTER_SUFFIX)) {
      throw new IllegalArgumentException(
          "stream name must not end in \".dlq\", which is reserved for dead-letter streams: "
              + quote(name));
    }
    return name;
  }

  /** Checks the name of a stream Sluice itself makes, such as a dead-letter stream. */
  public static String checkInternalStream(String name) {
    return checkSyntax("stream name", name, MAX_LENGTH + DEAD_LETTER_SUFFIX.length());
  }

  /**
   * Checks a consumer group name.
   *
   * @throws IllegalArgumentException naming the rule and showing the bad value
   */
  public static String checkGroup(String name) {
    return checkSyntax("group name", name, MAX_LENGTH);
  }

  private static String checkSyntax(String what, String name, int maxLength) {
    if (name == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (name.isEmpty() || name.length() > maxLength) {
      throw new IllegalArgumentException(
          what
              + " must be 1 to "
              + maxLength
              + " characters of [A-Za-z0-9._-], got "
              + name.length()
              + ": "
              + quote(name));
    }
    if (!ALLOWED.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must match [A-Za-z0-9._-]{1," + maxLength + "}: " + quote(name));
    }
    if (name.charAt(0) == '.') {
      throw new IllegalArgumentException(what + " must not start with '.': " + quote(name));
    }
    return name;
  }

  /** Quotes a value for a message, shortening a long one. */
  public static String quote(String value) {
    String shown = value.length() > 60 ? value.substring(0, 57) + "..." : value;
    return "\"" + shown.replace("\"", "\\\"") + "\"";
  }
}
