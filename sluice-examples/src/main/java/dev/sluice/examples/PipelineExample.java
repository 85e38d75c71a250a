package dev.sluice.examples;

import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.PipelineMetrics;
import dev.sluice.pipeline.PipelineRun;
import dev.sluice.pipeline.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The snippets of docs/PIPELINE.md, compiled and runnable. */
public final class PipelineExample {
  private PipelineExample() {}

  /**
   * Runs each snippet and prints its result.
   *
   * @param args ignored
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    List<String> lines = List.of(" 1", "2 ", " 3 ", "", "40");

    // batch mode, the design sketch
    Pipeline<String, Integer> p =
        Pipeline.<String>builder()
            .step("trim", String::trim)
            .filter("non-empty", s -> !s.isEmpty())
            .step("parse", 4, Integer::parseInt)
            .queueSize(10_000)
            .batchSize(100)
            .ordered(true)
            .build();
    List<Integer> out = p.transform(lines);
    System.out.println("transform: " + out);

    // ending an item early; stopWith needs the output type declared up front
    Pipeline<String, String> early =
        Pipeline.<String>builder()
            .outputType(String.class)
            .step("skip-blank", s -> s.isBlank() ? Step.stop() : s)
            .step("small", s -> s.trim().length() > 1 ? Step.stopWith("big:" + s.trim()) : s)
            .step("label", s -> "n" + s.trim())
            .build();
    System.out.println("stop/stopWith: " + early.transform(lines));

    // stream mode with a producer callback, an idle timeout and live metrics
    List<Integer> sink = new ArrayList<>();
    p.stream(
        emitter -> {
          for (String line : lines) {
            emitter.emit(line);
          }
        },
        sink::add);
    System.out.println("stream: " + sink);

    Pipeline<String, Integer> endless =
        Pipeline.<String>builder()
            .step("parse", Integer::parseInt)
            .idleTimeout(Duration.ofMillis(200))
            .build();
    try (PipelineRun run =
        endless.start(
            emitter -> {
              emitter.emit("7");
              Thread.sleep(Long.MAX_VALUE); // the feed dries up; the idle timeout ends the run
            },
            value -> System.out.println("idle stream wrote " + value))) {
      run.await();
      PipelineMetrics metrics = run.metrics();
      System.out.println("idle stream: " + run.state() + ", " + metrics.itemsOut() + " out");
    }

    // union: branches run in parallel, joined per item in branch order
    Pipeline<String, Integer> length =
        Pipeline.<String>builder().step("length", String::length).build();
    Pipeline<String, String> upper =
        Pipeline.<String>builder().step("upper", 2, String::toUpperCase).build();
    Pipeline<String, String> union =
        Pipeline.union(List.of(length, upper), outputs -> outputs.get(1) + "/" + outputs.get(0));
    System.out.println("union: " + union.transform(List.of("a", "bb", "ccc")));

    // chaining: trim, strip and parse share one thread; square keeps its 2 workers
    Pipeline<String, Integer> chained =
        Pipeline.<String>builder()
            .step("trim", String::trim)
            .step("strip", s -> s.replace("_", ""))
            .step("parse", Integer::parseInt)
            .step("square", 2, x -> x * x)
            .chaining(true)
            .build();
    System.out.println("chained: " + chained.transform(List.of(" 1_0", "2 ", "_3")));

    // typed union: a stacked joiner gets each branch's output with its own type
    Pipeline<String, Features> features = Pipeline.union(length, upper, Features::new);
    System.out.println("typed union: " + features.transform(List.of("a", "bb")));

    // a pipeline as a step of another, with its own filter, workers and queue in batches
    Pipeline<String, Integer> parse =
        Pipeline.<String>builder()
            .filter("non-empty", s -> !s.isBlank())
            .step("parse", 2, s -> Integer.parseInt(s.trim()))
            .queueBatches(4)
            .build();
    Pipeline<String, String> nested =
        Pipeline.<String>builder()
            .pipeline("numbers", parse) // its steps: numbers/non-empty, numbers/parse
            .step("label", n -> "#" + n)
            .batchSize(2)
            .build();
    System.out.println("nested: " + nested.transform(lines));

    // Neuraxle-style: workers per step for the whole pipeline, unnamed steps, queues in batches,
    // and a short last batch padded with a default value
    Pipeline<Integer, Integer> neuraxle =
        Pipeline.<Integer>builder()
            .step(x -> x + 1) // named map-0
            .step(x -> x * 2) // named map-1
            .workers(4) // n_workers_per_step
            .batchSize(3) // batch_size
            .queueBatches(10) // max_queued_minibatches
            .padWith(0) // default_value_data_inputs
            .build();
    System.out.println("padded: " + neuraxle.transform(List.of(1, 2, 3, 4)));
  }

  /** The joined output of the typed union above. */
  record Features(Integer length, String upper) {}
}
