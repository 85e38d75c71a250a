package dev.sluice.pipeline;

/** The description of a pipeline used as one step of another: its stages run in place. */
record NestedSpec(String name, Pipeline<?, ?> pipeline) implements Stage {}
