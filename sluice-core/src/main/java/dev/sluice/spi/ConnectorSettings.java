package dev.sluice.spi;

import dev.sluice.config.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one source or sink in a configuration file: a JSON object's fields, read with
 * checks. Every getter that finds a missing or ill-typed value throws a {@link ConfigException}
 * naming where in the file the object is ({@link #where()}), the field, what it must be and what
 * was there. Immutable and thread-safe.
 */
public final class ConnectorSettings {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private final String where;
  private final Map<String, Object> values;

  private ConnectorSettings(String where, Map<String, Object> values) {
    this.where = where;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Settings read from {@code values}; {@code where} names their place for messages, such as {@code
   * streams.readings.sources[0]}.
   */
  public static ConnectorSettings of(String where, Map<String, ?> values) {
    return new ConnectorSettings(where, new LinkedHashMap<>(values));
  }

  /** Where these settings are in the configuration, for messages. */
  public String where() {
    return where;
  }

  /** Every field as read. */
  public Map<String, Object> values() {
    return values;
  }

  /** Whether the field is present and not null. */
  public boolean has(String key) {
    return values.get(key) != null;
  }

  /** A required string field. */
  public String string(String key) {
    return optionalString(key).orElseThrow(() -> missing(key, "a string"));
  }

  /** A string field, or {@code fallback} when absent. */
  public String string(String key, String fallback) {
    return optionalString(key).orElse(fallback);
  }

  /** A string field if present. */
  public Optional<String> optionalString(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw bad(key, "a string", v);
    }
    return Optional.of(s);
  }

  /** An integer field, or {@code fallback} when absent. */
  public int integer(String key, int fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long l = ((Number) v).longValue();
      if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        return (int) l;
      }
    }
    throw bad(key, "an integer", v);
  }

  /** A boolean field, or {@code fallback} when absent. */
  public boolean bool(String key, boolean fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(key, "true or false", v);
    }
    return b;
  }

  /**
   * A duration field, written as ISO-8601 ({@code "PT5S"}) or as a number and a unit ({@code
   * "500ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, {@code "1d"}); {@code fallback} when
   * absent.
   */
  public Duration duration(String key, Duration fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String s) {
      Optional<Duration> d = parseDuration(s);
      if (d.isPresent()) {
        return d.get();
      }
    }
    throw bad(key, "a duration such as \"5s\", \"500ms\" or \"PT5S\"", v);
  }

  /** A field holding one string or a list of strings, as a list; empty when absent. */
  public List<String> strings(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw bad(key, "a string or a list of strings", v);
        }
        out.add(s);
      }
      return List.copyOf(out);
    }
    throw bad(key, "a string or a list of strings", v);
  }

  /** A nested object field as settings of their own; empty settings when absent. */
  @SuppressWarnings("unchecked")
  public ConnectorSettings object(String key) {
    Object v = values.get(key);
    if (v == null) {
      return new ConnectorSettings(where + "." + key, Map.of());
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw bad(key, "an object", v);
    }
    return new ConnectorSettings(where + "." + key, (Map<String, Object>) m);
  }

  /** A {@link ConfigException} about a field of these settings. */
  public ConfigException bad(String key, String rule, Object value) {
    String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    return new ConfigException(where + "." + key + " must be " + rule + ": " + shown);
  }

  private ConfigException missing(String key, String rule) {
    return new ConfigException(where + "." + key + " is required (" + rule + ")");
  }

  static Optional<Duration> parseDuration(String s) {
    String t = s.trim();
    Matcher m = SHORT_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          });
    }
    try {
      return Optional.of(Duration.parse(t));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return where + values;
  }
}
