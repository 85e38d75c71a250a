package dev.sluice.spi;

import dev.sluice.Store;

/**
 * What a {@link SourceFactory} or {@link SinkFactory} knows about where its connector is used.
 *
 * @param store the store the configuration runs on; a source may keep its position there
 * @param stream the stream a source feeds, or the stream a sink's consumer reads
 * @param name the connector's name in the configuration, unique per stream (given, or its type and
 *     index), stable across restarts: a source keys what it keeps by it
 */
public record ConnectorContext(Store store, String stream, String name) {}
