package dev.sluice.cli;

import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice drop STREAM}: deletes a stream with its records and groups. */
@Command(
    name = "drop",
    description = {
      "Delete a stream with its records and consumer groups. Running consumers of it stop",
      "with an error. Its dead letters (STREAM.dlq) are kept unless --dead-letters is given."
    })
final class DropCommand implements Callable<Integer> {
  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
  String stream;

  @Option(names = "--dead-letters", description = "Drop STREAM.dlq too.")
  boolean deadLetters;

  @Override
  public Integer call() {
    try (Store s = store.open()) {
      StreamMetadata m = s.metadata(stream).orElse(null);
      if (m == null || !s.drop(stream)) {
        spec.commandLine().getErr().println("sluice: no stream \"" + stream + "\" in " + s.url());
        return 1;
      }
      String message = "dropped " + stream + " (" + m.recordCount() + plural(m.recordCount()) + ")";
      if (deadLetters) {
        String dlq = dev.sluice.DeadLetters.name(stream);
        long dead = s.metadata(dlq).map(StreamMetadata::recordCount).orElse(0L);
        if (s.drop(dlq)) {
          message += " and " + dlq + " (" + dead + plural(dead) + ")";
        }
      }
      spec.commandLine().getOut().println(message);
    }
    return 0;
  }

  private static String plural(long n) {
    return n == 1 ? " record" : " records";
  }
}
