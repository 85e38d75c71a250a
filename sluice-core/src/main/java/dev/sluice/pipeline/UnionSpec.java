package dev.sluice.pipeline;

import java.util.List;

/** The description of a union: branches that each see every item, and the joiner. */
record UnionSpec(String name, List<Pipeline<?, ?>> branches, Joiner<?> joiner) implements Stage {
  UnionSpec {
    branches = List.copyOf(branches);
  }
}
