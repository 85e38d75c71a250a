/**
 * Attach by configuration: a JSON file declares a store, streams with their sources and consumers
 * with their sinks; {@link dev.sluice.config.SluiceConfig#start()} runs it. Source and sink types
 * come from {@link dev.sluice.spi.SourceFactory} and {@link dev.sluice.spi.SinkFactory}
 * implementations found with {@link java.util.ServiceLoader}.
 */
package dev.sluice.config;
