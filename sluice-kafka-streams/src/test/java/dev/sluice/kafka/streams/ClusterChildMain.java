package dev.sluice.kafka.streams;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.InputBuilder;
import dev.sluice.dataflow.KV;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bytewax-style {@code cluster_main} process: {@code <proc id> <out dir>} runs its two workers of
 * a two-process word count through {@code Execution.clusterMain}, each worker writing its captures
 * to a file of its own. The cluster and application id come from system properties.
 */
public final class ClusterChildMain {
  static final List<String> ADDRESSES = List.of("127.0.0.1:2101", "127.0.0.1:2102");

  private ClusterChildMain() {}

  @SuppressWarnings("unchecked")
  static Dataflow<String, KV<String, Long>> flow() {
    return (Dataflow<String, KV<String, Long>>) ContractFlows.wordCount().flow();
  }

  /** Worker {@code i} of {@code n} reads the lines at positions {@code i, i + n, ...}. */
  static InputBuilder<String> input() {
    List<Epoched<?>> lines = ContractFlows.wordCount().input();
    return (i, n) -> {
      List<Epoched<String>> mine = new ArrayList<>();
      for (int p = i; p < lines.size(); p += n) {
        mine.add(Epoched.of(lines.get(p).epoch(), (String) lines.get(p).item()));
      }
      return mine;
    };
  }

  public static void main(String[] args) throws Exception {
    int procId = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    Execution.clusterMain(
        flow(),
        input(),
        (i, n) -> {
          PrintWriter w =
              new PrintWriter(
                  Files.newBufferedWriter(out.resolve("worker-" + i), StandardCharsets.UTF_8));
          return new dev.sluice.spi.Sink<Epoched<KV<String, Long>>>() {
            @Override
            public void write(Epoched<KV<String, Long>> pair) {
              w.println(pair.epoch() + " " + pair.item());
            }

            @Override
            public void close() {
              w.close();
            }
          };
        },
        ADDRESSES,
        procId,
        2);
    System.exit(0);
  }
}
