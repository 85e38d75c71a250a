package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow description: immutable, ordered steps, and no flow without a capture. */
class DataflowTest {

  @Test
  void stepsAreListedInOrderWithTheirBytewaxNames() {
    var flow =
        Dataflow.<String>builder()
            .map(s -> s)
            .flatMap(s -> List.of(s))
            .filter(s -> true)
            .inspect(s -> {})
            .inspectEpoch((e, s) -> {})
            .map(s -> KV.of(s, 1))
            .reduce(Integer::sum, (Integer x) -> true)
            .reduceEpoch(Integer::sum)
            .reduceEpochLocal(Integer::sum)
            .statefulMap((String k) -> 0, (Integer s, Integer v) -> StateUpdate.of(s, v))
            .capture()
            .build();

    assertThat(flow.steps())
        .extracting(Step::operator)
        .containsExactly(
            "map",
            "flat_map",
            "filter",
            "inspect",
            "inspect_epoch",
            "map",
            "reduce",
            "reduce_epoch",
            "reduce_epoch_local",
            "stateful_map",
            "capture");
    assertThat(flow.steps())
        .filteredOn(Step::exchangesByKey)
        .extracting(Step::operator)
        .containsExactly("reduce", "reduce_epoch", "stateful_map");
    assertThat(flow.toString()).startsWith("Dataflow[map, flat_map, filter");
  }

  @Test
  void buildersAreImmutableSoABuilderCanBeBranched() {
    var base = Dataflow.<Integer>builder().map(x -> x + 1);
    var doubled = base.map(x -> x * 2).capture().build();
    var negated = base.map(x -> -x).capture().build();

    assertThat(Execution.run(doubled, Inputs.singleBatch(List.of(1))))
        .containsExactly(Epoched.of(0, 4));
    assertThat(Execution.run(negated, Inputs.singleBatch(List.of(1))))
        .containsExactly(Epoched.of(0, -2));
    assertThat(doubled.steps()).hasSize(3);
  }

  @Test
  void theStepListCannotBeModified() {
    var flow = Dataflow.<Integer>builder().capture().build();

    assertThatThrownBy(() -> flow.steps().add(new Step.Capture()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aFlowWithoutCaptureCannotBeBuiltSoItIsRejectedBeforeAnyInputIsRead() {
    List<String> builderMethods =
        Arrays.stream(Dataflow.Builder.class.getMethods()).map(Method::getName).toList();

    assertThat(builderMethods).doesNotContain("build");
    assertThat(builderMethods).contains("capture");
    assertThat(Arrays.stream(Dataflow.Captured.class.getMethods()).map(Method::getName))
        .contains("build");
  }

  @Test
  void nullFunctionsAreRejectedWhenTheStepIsAdded() {
    assertThatThrownBy(() -> Dataflow.<Integer>builder().map(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("mapper must not be null");
    assertThatThrownBy(() -> Dataflow.<Integer>builder().reduce(Integer::sum, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("isComplete must not be null");
  }
}
