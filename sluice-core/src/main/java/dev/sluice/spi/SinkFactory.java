package dev.sluice.spi;

/**
 * Makes sinks named by type in a configuration file ({@code "type": "mongo"}). Found with {@link
 * java.util.ServiceLoader}: a module lists its factories in {@code
 * META-INF/services/dev.sluice.spi.SinkFactory}. Implementations must have a public no-argument
 * constructor and be thread-safe.
 */
public interface SinkFactory {
  /**
   * The type name used in configuration files, such as {@code "ndjson"}; unique on the classpath.
   */
  String type();

  /**
   * A new sink from its settings. It is given each result of a window; the configuration decides
   * whether lists are expanded before they reach it ({@link dev.sluice.Sinks#expand}).
   *
   * @throws dev.sluice.config.ConfigException if a setting is missing or invalid
   */
  Sink<Object> create(ConnectorSettings settings, ConnectorContext context);
}
