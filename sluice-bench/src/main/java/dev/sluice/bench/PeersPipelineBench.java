package dev.sluice.bench;

import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.PipelineBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuple2;

/**
 * The staged pipeline against Java parallel streams and Project Reactor on the same three steps
 * with ordered output, in the same process and run (issue 18 item 3).
 *
 * <p>Work: PipelineBench's trivial scenario — {@code x+1}, {@code x*3}, {@code x^0x5bd1e995} over a
 * list of boxed integers, a list out in input order. Contenders: a plain loop (the baseline); the
 * pipeline (one worker per step, {@code batchSize(1000)}, {@code queueSize(16000)}) and the same
 * with {@code chaining(true)}; a parallel stream ({@code map} three times, {@code toList()}) in a
 * {@code ForkJoinPool} of 2; Reactor {@code Flux.parallel(2).runOn(Schedulers.parallel())} per item
 * (each item carries its index through {@code index()}, {@code ordered()} merges the rails back
 * into input order); and Reactor over batches of 1,000 (the rails map whole batches, ordered by
 * batch number), the pipeline's own unit.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar peers-pipeline [items=10000000]
 * [runs=7] [warm-ups=3]}.
 */
public final class PeersPipelineBench {
  private static final UnaryOperator<Integer> ADD = x -> x + 1;
  private static final UnaryOperator<Integer> TIMES = x -> x * 3;
  private static final UnaryOperator<Integer> XOR = x -> x ^ 0x5bd1e995;
  private static final int BATCH = 1_000;
  private static final int THREADS = 2;

  private PeersPipelineBench() {}

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<Integer> input = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      input.add(i);
    }
    List<Integer> expected = loop(input);
    PipelineBuilder<Integer, Integer> steps =
        Pipeline.<Integer>builder()
            .step("add", ADD::apply)
            .step("times", TIMES::apply)
            .step("xor", XOR::apply)
            .batchSize(BATCH)
            .queueSize(16_000);
    Pipeline<Integer, Integer> pipeline = steps.build();
    Pipeline<Integer, Integer> chained = steps.chaining(true).build();
    ForkJoinPool pool = new ForkJoinPool(THREADS);
    Scheduler parallel = Schedulers.parallel();

    Map<String, PeersRounds.Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("plain loop (baseline)", () -> loop(input));
    scenarios.put("Sluice pipeline, 3 stages", () -> pipeline.transform(input));
    scenarios.put("Sluice pipeline, chained", () -> chained.transform(input));
    scenarios.put(
        "parallel stream, 2 threads",
        () ->
            pool.submit(() -> input.parallelStream().map(ADD).map(TIMES).map(XOR).toList()).get());
    scenarios.put(
        "Reactor parallel(2), per item",
        () ->
            Flux.fromIterable(input)
                .index()
                .parallel(THREADS)
                .runOn(parallel)
                .map(t -> t.mapT2(x -> XOR.apply(TIMES.apply(ADD.apply(x)))))
                .ordered(Comparator.comparingLong(Tuple2::getT1))
                .map(Tuple2::getT2)
                .collectList()
                .block());
    scenarios.put(
        "Reactor parallel(2), batches",
        () -> {
          List<List<Integer>> batches =
              Flux.range(0, (input.size() + BATCH - 1) / BATCH)
                  .parallel(THREADS)
                  .runOn(parallel)
                  .map(b -> new Batch(b, loop(batchOf(input, b))))
                  .ordered(Comparator.comparingInt(Batch::number))
                  .map(Batch::items)
                  .collectList()
                  .block();
          List<Integer> out = new ArrayList<>(input.size());
          batches.forEach(out::addAll);
          return out;
        });

    System.out.printf(
        Locale.ROOT,
        "peers-pipeline: 3 map steps (x+1, x*3, x^c) over %,d boxed Integers, list in, list out"
            + " in input order; %d warm-up rounds, median of %d rounds, order rotated per"
            + " round; %d threads for the parallel peers%n",
        items,
        warmups,
        runs,
        THREADS);
    Map<String, List<Double>> seconds =
        PeersRounds.measure(
            scenarios,
            warmups,
            runs,
            expected,
            items,
            "items",
            "peers-pipeline",
            String.format(
                Locale.ROOT,
                "3 steps over %,d boxed Integers, ordered output (ratio to a plain loop)",
                items));
    pool.shutdown();
    String sluice = "Sluice pipeline, 3 stages";
    System.out.printf(
        Locale.ROOT,
        "Sluice pipeline / parallel stream: %.2f; / Reactor per item: %.2f; / Reactor batches:"
            + " %.2f%n",
        PeersRounds.median(seconds, "parallel stream, 2 threads")
            / PeersRounds.median(seconds, sluice),
        PeersRounds.median(seconds, "Reactor parallel(2), per item")
            / PeersRounds.median(seconds, sluice),
        PeersRounds.median(seconds, "Reactor parallel(2), batches")
            / PeersRounds.median(seconds, sluice));
  }

  private record Batch(int number, List<Integer> items) {}

  private static List<Integer> batchOf(List<Integer> input, int b) {
    return input.subList(b * BATCH, Math.min(input.size(), (b + 1) * BATCH));
  }

  private static List<Integer> loop(List<Integer> input) {
    List<Integer> out = new ArrayList<>(input.size());
    for (Integer x : input) {
      out.add(XOR.apply(TIMES.apply(ADD.apply(x))));
    }
    return out;
  }
}
