package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.KV;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The word counts shown in docs/DATAFLOW.md give the counts the page says. */
class DataflowWordCountTest {

  @Test
  void inMemoryWordCountGivesOneCountPerWordInEpochZero() {
    assertThat(DataflowWordCount.inMemory(List.of("to be or", "not to be")))
        .containsExactly(
            Epoched.of(0, KV.of("to", 2L)),
            Epoched.of(0, KV.of("be", 2L)),
            Epoched.of(0, KV.of("or", 1L)),
            Epoched.of(0, KV.of("not", 1L)));
  }

  @Test
  void streamWordCountAppendsTheCountsToAnotherStream() {
    try (Store store = Sluice.open("mem:")) {
      store.stream("lines", String.class).appendAll(List.of("to be or", "not to be"));

      DataflowWordCount.fromStream(store);

      assertThat(store.stream("word-counts", DataflowWordCount.Count.class).read(0, 100))
          .extracting(Record::value)
          .containsExactlyInAnyOrder(
              new DataflowWordCount.Count("to", 2),
              new DataflowWordCount.Count("be", 2),
              new DataflowWordCount.Count("or", 1),
              new DataflowWordCount.Count("not", 1));
    }
  }
}
