package dev.sluice.bench;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one benchmark by name: {@code java -jar sluice-bench/target/sluice-bench.jar NAME}. Each
 * prints its figures as ratios to a baseline measured in the same process.
 */
public final class BenchMain {
  private static final Map<String, String> BENCHMARKS = new TreeMap<>();

  static {
    BENCHMARKS.put("append", "dev.sluice.bench.AppendBench");
    BENCHMARKS.put("pipeline", "dev.sluice.bench.PipelineBench");
    BENCHMARKS.put("dataflow", "dev.sluice.bench.DataflowBench");
    BENCHMARKS.put("consumer", "dev.sluice.bench.ConsumerBench");
    BENCHMARKS.put("latency", "dev.sluice.bench.LatencyBench");
    BENCHMARKS.put("kafka", "dev.sluice.bench.KafkaBench");
    BENCHMARKS.put("dataflow-kafka", "dev.sluice.bench.DataflowKafkaBench");
    BENCHMARKS.put("purge", "dev.sluice.bench.PurgeBench");
    BENCHMARKS.put("server", "dev.sluice.bench.ServerBench");
    BENCHMARKS.put("postgres", "dev.sluice.bench.PostgresBench");
    BENCHMARKS.put("peers-log", "dev.sluice.bench.PeersLogBench");
    BENCHMARKS.put("peers-pipeline", "dev.sluice.bench.PeersPipelineBench");
    BENCHMARKS.put("peers-wordcount", "dev.sluice.bench.PeersWordCountBench");
    BENCHMARKS.put("suite", "dev.sluice.bench.SuiteBench");
    BENCHMARKS.put("growth", "dev.sluice.bench.GrowthBench");
    BENCHMARKS.put("idle", "dev.sluice.bench.IdleBench");
  }

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println(
          "usage: sluice-bench NAME [ARGS...]; NAME is one of " + BENCHMARKS.keySet());
      System.exit(2);
    }
    Class<?> bench = Class.forName(BENCHMARKS.get(args[0]));
    Method main = bench.getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
