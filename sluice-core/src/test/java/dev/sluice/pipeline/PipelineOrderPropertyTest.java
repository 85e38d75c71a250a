package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterTry;

class PipelineOrderPropertyTest {
  @AfterTry
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  /** Waits up to ~250 µs on one item in four, chosen by the seed, so batches finish unevenly. */
  private static void uneven(int item, long seed) {
    long mix = (item * 0x9E3779B97F4A7C15L) ^ seed;
    mix ^= mix >>> 29;
    if ((mix & 3) == 0) {
      LockSupport.parkNanos(((mix >>> 8) & 255) * 1_000);
    }
  }

  @Property(tries = 40)
  void outputsComeInInputOrderWhateverTheWorkersAndStepTimes(
      @ForAll @Size(min = 20, max = 300) List<@IntRange(min = -1000, max = 1000) Integer> items,
      @ForAll @IntRange(min = 1, max = 17) int batchSize,
      @ForAll @IntRange(min = 1, max = 3) int queueBatches,
      @ForAll @IntRange(min = 1, max = 4) int mapWorkers,
      @ForAll @IntRange(min = 1, max = 4) int filterWorkers,
      @ForAll @IntRange(min = 1, max = 4) int expandWorkers,
      @ForAll boolean chaining,
      @ForAll long seed) {
    Pipeline<Integer, Long> p =
        Pipeline.<Integer>builder()
            .step(
                "triple",
                mapWorkers,
                x -> {
                  uneven(x, seed);
                  return 3L * x;
                })
            .filter(
                "not-7",
                filterWorkers,
                x -> {
                  uneven((int) (x + 1), seed);
                  return x % 7 != 0;
                })
            .flatMap(
                "repeat",
                expandWorkers,
                x -> {
                  uneven((int) (x + 2), seed);
                  return Collections.nCopies((int) Math.floorMod(x, 4L), x);
                })
            .batchSize(batchSize)
            .queueSize(batchSize * queueBatches)
            .chaining(chaining)
            .build();

    List<Long> expected = new ArrayList<>();
    for (int x : items) {
      long tripled = 3L * x;
      if (tripled % 7 != 0) {
        expected.addAll(Collections.nCopies((int) Math.floorMod(tripled, 4L), tripled));
      }
    }
    assertThat(expected).as("the property needs outputs to compare").isNotEmpty();
    assertThat(p.transform(items)).isEqualTo(expected);
  }

  /**
   * Stream mode with partial batches handed on by the watcher while the feed thread keeps filling
   * the same batch: pauses in the feed (chosen by the seed) let {@code maxBatchWait} expire at
   * varying points of a batch. Nothing is lost, duplicated or reordered, and a dropped last batch
   * is shorter than a batch.
   */
  @Property(tries = 40)
  void streamOutputsComeInOrderWhilePartialBatchesAreHandedOn(
      @ForAll @IntRange(min = 1, max = 3000) int count,
      @ForAll @IntRange(min = 2, max = 17) int batchSize,
      @ForAll @IntRange(min = 1, max = 3) int queueBatches,
      @ForAll @IntRange(min = 1, max = 3) int workers,
      @ForAll @IntRange(min = 50, max = 2000) int maxWaitMicros,
      @ForAll boolean dropLast,
      @ForAll long seed) {
    PipelineBuilder<Integer, Integer> builder =
        Pipeline.<Integer>builder()
            .step("inc", workers, x -> x + 1)
            .batchSize(batchSize)
            .queueSize(batchSize * queueBatches)
            .maxBatchWait(java.time.Duration.ofNanos(maxWaitMicros * 1_000L));
    Pipeline<Integer, Integer> p =
        dropLast ? builder.lastBatch(Pipeline.LastBatch.DROP).build() : builder.build();
    List<Integer> written = new ArrayList<>();

    p.stream(
        emitter -> {
          for (int i = 0; i < count; i++) {
            emitter.emit(i);
            uneven(i, seed);
          }
        },
        written::add);

    for (int i = 0; i < written.size(); i++) {
      assertThat(written.get(i)).as("output %d", i).isEqualTo(i + 1);
    }
    if (dropLast) {
      assertThat(count - written.size()).isBetween(0, batchSize - 1);
    } else {
      assertThat(written).hasSize(count);
    }
  }
}
