package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineUnionTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void shouldJoinBranchOutputsPerItemInDeclaredBranchOrder() {
    Pipeline<Integer, String> letters =
        Pipeline.<Integer>builder()
            .step(
                "letter",
                3,
                x -> {
                  if (x % 7 == 0) {
                    Thread.sleep(1);
                  }
                  return "a" + x;
                })
            .build();
    Pipeline<Integer, Integer> squares =
        Pipeline.<Integer>builder().step("square", 2, x -> x * x).step("plus", x -> x + 1).build();
    Pipeline<Integer, Integer> identity = Pipeline.<Integer>builder().build();

    Pipeline<Integer, String> union =
        Pipeline.union(
            List.of(letters, squares, identity),
            outputs -> outputs.get(0) + "|" + outputs.get(1) + "|" + outputs.get(2));

    assertThat(union.transform(range(200)))
        .isEqualTo(range(200).stream().map(x -> "a" + x + "|" + (x * x + 1) + "|" + x).toList());
  }

  @Test
  void shouldRunTheBranchesOnTheSameBatchInParallel() {
    CyclicBarrier bothBranches = new CyclicBarrier(2);
    Step<Integer, Integer> meet =
        x -> {
          if (x == 0) {
            // each branch has one worker: only a parallel union lets both reach the barrier
            bothBranches.await(10, TimeUnit.SECONDS);
          }
          return x;
        };
    Pipeline<Integer, Integer> left = Pipeline.<Integer>builder().step("left", meet).build();
    Pipeline<Integer, Integer> right = Pipeline.<Integer>builder().step("right", meet).build();

    Pipeline<Integer, List<Object>> union = Pipeline.union(List.of(left, right), List::copyOf);

    assertThat(union.transform(range(3)))
        .containsExactly(List.of(0, 0), List.of(1, 1), List.of(2, 2));
  }

  @Test
  void shouldSitBetweenStepsAndLetItemsEndedEarlierPassIt() throws Exception {
    Pipeline<Integer, String> words =
        Pipeline.<Integer>builder()
            .outputType(String.class)
            .step("word", x -> x == 4 ? Step.stopWith("FOUR") : "w" + x)
            .step("upper", String::toUpperCase)
            .build();
    Pipeline<Integer, Integer> doubled =
        Pipeline.<Integer>builder().step("double", x -> 2 * x).build();
    Pipeline<Integer, String> p =
        Pipeline.<Integer>builder()
            .outputType(String.class)
            .filter("no-9", x -> x != 9)
            .step("early", x -> x == 2 ? Step.stopWith("two") : x)
            .<String>union("features", List.of(words, doubled), o -> o.get(0) + "=" + o.get(1))
            .step("wrap", 2, s -> "[" + s + "]")
            .batchSize(3)
            .queueSize(6)
            .build();

    List<String> expected = new ArrayList<>();
    for (int x = 0; x < 12; x++) {
      if (x == 9) {
        continue;
      }
      expected.add(x == 2 ? "two" : "[" + (x == 4 ? "FOUR" : "W" + x) + "=" + (2 * x) + "]");
    }
    assertThat(p.transform(range(12))).isEqualTo(expected);

    try (PipelineRun run = p.start(range(12).iterator(), s -> {})) {
      run.await();
      assertThat(run.metrics().steps())
          .extracting(StepMetrics::name)
          .containsExactly(
              "no-9", "early", "features/0/word", "features/0/upper", "features/1/double", "wrap");
      assertThat(run.metrics().itemsOut()).isEqualTo(11);
    }
  }

  @Test
  void shouldFailTheRunWhenABranchStopsAnItem() {
    Pipeline<Integer, Integer> stops =
        Pipeline.<Integer>builder().step("stops", x -> x == 3 ? Step.stop() : x).build();
    Pipeline<Integer, Integer> keeps = Pipeline.<Integer>builder().step("keeps", x -> x).build();
    Pipeline<Integer, Object> union = Pipeline.union(List.of(stops, keeps), List::copyOf);

    assertThatThrownBy(() -> union.transform(range(10)))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("step 'union/0/stops' failed on batch 3")
        .hasRootCauseMessage(
            "Step.stop() cannot be used in a union branch: the item would have no output to join;"
                + " use Step.stopWith(value) there");
  }

  @Test
  void shouldNameTheUnionWhenItsJoinerFails() {
    Pipeline<Integer, Integer> one = Pipeline.<Integer>builder().step("one", x -> x).build();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .<Integer>union(
                "joined",
                List.of(one, one),
                outputs -> {
                  if (outputs.get(0).equals(6)) {
                    throw new IllegalStateException("cannot join 6");
                  }
                  return (Integer) outputs.get(1);
                })
            .batchSize(2)
            .queueSize(2)
            .build();

    assertThatThrownBy(() -> p.transform(range(10)))
        .isInstanceOf(PipelineException.class)
        .hasMessage(
            "step 'joined' failed on batch 3: java.lang.IllegalStateException: cannot join 6")
        .satisfies(e -> assertThat(((PipelineException) e).step()).contains("joined"));
  }

  @Test
  void shouldRejectBranchesThatCannotGiveOneOutputPerItem() {
    Pipeline<Integer, Integer> filters =
        Pipeline.<Integer>builder().filter("odd", x -> x % 2 == 1).build();
    Pipeline<Integer, Integer> expands =
        Pipeline.<Integer>builder().flatMap("twice", x -> List.of(x, x)).build();
    Pipeline<Integer, Integer> batched =
        Pipeline.<Integer>builder().step("id", x -> x).batchSize(10).queueSize(10).build();
    Pipeline<Integer, Integer> fine = Pipeline.<Integer>builder().step("id", x -> x).build();

    assertThatThrownBy(() -> Pipeline.union(List.of(fine, filters), List::copyOf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "union 'union' branch 1 must give one output per item, so it cannot hold a filter"
                + " step: 'odd'");
    assertThatThrownBy(() -> Pipeline.union(List.of(expands), List::copyOf))
        .hasMessageContaining("cannot hold a flat-map step: 'twice'");
    assertThatThrownBy(() -> Pipeline.union(List.of(fine, batched), List::copyOf))
        .hasMessage(
            "union 'union' branch 1 must not set pipeline-wide options (it takes them from the"
                + " pipeline holding the union): [batchSize, queueSize]");
    assertThatThrownBy(() -> Pipeline.union(List.<Pipeline<Integer, ?>>of(), List::copyOf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("union 'union' must have at least one branch: []");
  }
}
