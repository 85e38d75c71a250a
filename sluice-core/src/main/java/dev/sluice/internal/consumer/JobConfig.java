package dev.sluice.internal.consumer;

import dev.sluice.spi.Source;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.consumer.ConsumerSpec;

/**
 * A job for the shared engine: its checked description, the store it runs on, and the source that
 * feeds its stream while it runs (or null).
 */
public record JobConfig<T>(
    StoreBackend backend,
    ConsumerEngine engine,
    ConsumerSpec<T> spec,
    Source<? extends T> source) {}
