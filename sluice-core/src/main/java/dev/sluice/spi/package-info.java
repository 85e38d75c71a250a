/**
 * Service provider interfaces: store backends ({@link dev.sluice.spi.StoreProvider}, {@link
 * dev.sluice.spi.StoreBackend}), codecs, sources and sinks. Implement these to add a backend or a
 * connector; users of Sluice rarely need them directly.
 */
package dev.sluice.spi;
