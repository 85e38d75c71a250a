package dev.sluice.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT2S}).
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    Duration d;
    try {
      d = Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "a duration must look like 500ms, 2s, 5m, 1h or PT2S: \"" + value + "\"");
    }
    if (d.isNegative()) {
      throw new TypeConversionException("a duration must not be negative: \"" + value + "\"");
    }
    return d;
  }

  /** A duration as the CLI writes it: {@code 500ms}, or ISO-8601 when not whole milliseconds. */
  static String show(Duration d) {
    return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toString();
  }
}
