package dev.sluice.cli;

import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice streams}: lists the streams of a store. */
@Command(
    name = "streams",
    description =
        "List the streams of a store, dead-letter streams (NAME.dlq) too; changes nothing.")
final class StreamsCommand implements Callable<Integer> {
  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Store s = store.openToRead()) {
      var names = s.streams();
      if (names.isEmpty()) {
        out.println("no streams in " + s.url());
        return 0;
      }
      out.printf(
          "%-32s %12s %12s %12s  %-24s  %s%n",
          "STREAM", "RECORDS", "FIRST", "LAST", "LAST APPEND", "RETENTION");
      for (String name : names) {
        s.metadata(name)
            .ifPresent(
                (StreamMetadata m) ->
                    out.printf(
                        "%-32s %12d %12d %12d  %-24s  %s%n",
                        m.name(),
                        m.recordCount(),
                        m.firstOffset(),
                        m.lastOffset(),
                        m.lastAppend() == null ? "-" : m.lastAppend().toString(),
                        m.retention()));
      }
    }
    return 0;
  }
}
