package dev.sluice.spi;

/**
 * Makes sources named by type in a configuration file ({@code "type": "mqtt"}). Found with {@link
 * java.util.ServiceLoader}: a module lists its factories in {@code
 * META-INF/services/dev.sluice.spi.SourceFactory}. Implementations must have a public no-argument
 * constructor and be thread-safe.
 */
public interface SourceFactory {
  /** The type name used in configuration files, such as {@code "mqtt"}; unique on the classpath. */
  String type();

  /**
   * A new source from its settings; values it emits are appended as JSON.
   *
   * @throws dev.sluice.config.ConfigException if a setting is missing or invalid
   */
  Source<?> create(ConnectorSettings settings, ConnectorContext context);
}
