package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecializerTest {
  @Test
  void shouldMakePerItemStepsFromACopyOfTheirOperationClassPerClassOfFunction() {
    Step<Integer, Integer> inc = x -> x + 1;
    Step<Integer, Integer> dec = x -> x - 1;
    Operation first = Operation.map(inc);
    Operation again = Operation.map(inc);
    Operation other = Operation.map(dec);
    Operation filter = Operation.filter(x -> true);
    Operation flatMap = Operation.flatMap(x -> List.of(x, x));

    for (Operation copy : List.of(first, again, other, filter, flatMap)) {
      assertThat(copy.getClass().isHidden()).as("%s is a copy", copy.getClass()).isTrue();
    }
    assertThat(again.getClass())
        .as("one copy per class of function: pipelines built again reuse it")
        .isSameAs(first.getClass());
    assertThat(other.getClass())
        .as("another function class gets its own copy, so each call site sees one class")
        .isNotSameAs(first.getClass());
    assertThat(first.getClass().getName()).startsWith(MapOperation.class.getName() + "/");
    assertThat(filter.getClass().getName()).startsWith(FilterOperation.class.getName() + "/");
    assertThat(flatMap.getClass().getName()).startsWith(FlatMapOperation.class.getName() + "/");
    assertThat(Operation.batch(items -> items).getClass().isHidden())
        .as("a batch step is called once per batch and shares its class")
        .isFalse();
  }

  @Test
  void shouldProcessABatchInACopyExactlyAsInTheSharedClass() throws Exception {
    @SuppressWarnings("unchecked")
    Step<Object, Object> step = x -> (Integer) x % 3 == 0 ? Step.stop() : (Integer) x * 10;
    Operation copy = Operation.map(step);
    Operation shared = new MapOperation(step);
    StepRuntime runtime =
        new StepRuntime(
            "m", new StepSpec("m", 1, QueueSize.UNSET, shared), null, new Chain(null, false));

    Tally copyTally = new Tally();
    Tally sharedTally = new Tally();
    Batch fromCopy =
        copy.apply(new Batch(7, new Object[] {1, 2, 3, 4, 6, 7}, 6, false), runtime, copyTally);
    Batch fromShared =
        shared.apply(new Batch(7, new Object[] {1, 2, 3, 4, 6, 7}, 6, false), runtime, sharedTally);

    assertThat(List.of(fromCopy.items).subList(0, fromCopy.size)).containsExactly(10, 20, 40, 70);
    assertThat(List.of(fromShared.items).subList(0, fromShared.size))
        .containsExactly(10, 20, 40, 70);
    assertThat(fromCopy.seq).isEqualTo(fromShared.seq).isEqualTo(7);
    assertThat(List.of(copyTally.in, copyTally.out, copyTally.stopped))
        .containsExactly(6L, 4L, 2L)
        .isEqualTo(List.of(sharedTally.in, sharedTally.out, sharedTally.stopped));
  }

  @Test
  void shouldGiveNoCopyWhenTheTemplateCannotBeCopied() {
    Specializer noSuchConstructor = new Specializer(MapOperation.class, String.class);

    assertThat(noSuchConstructor.create("a function of a type the template does not take"))
        .isNull();
  }
}
