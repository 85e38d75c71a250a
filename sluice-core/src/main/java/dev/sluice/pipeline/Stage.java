package dev.sluice.pipeline;

/**
 * One stage of a pipeline description: a {@link StepSpec}, {@link UnionSpec} or {@link NestedSpec}.
 */
sealed interface Stage permits StepSpec, UnionSpec, NestedSpec {
  String name();
}
