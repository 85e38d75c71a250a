package dev.sluice.pipeline;

/** One stage of a pipeline description: a {@link StepSpec} or a {@link UnionSpec}. */
sealed interface Stage permits StepSpec, UnionSpec {
  String name();
}
