package dev.sluice.cli;

import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice info STREAM}: shows a stream's metadata. */
@Command(
    name = "info",
    description = "Show what the store knows about a stream (STREAM.dlq too); changes nothing.")
final class InfoCommand implements Callable<Integer> {
  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
  String stream;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Store s = store.openToRead()) {
      StreamMetadata m = s.metadata(stream).orElse(null);
      if (m == null) {
        spec.commandLine().getErr().println("sluice: no stream \"" + stream + "\" in " + s.url());
        return 1;
      }
      out.println("stream:       " + m.name());
      out.println("store:        " + s.url());
      out.println("incarnation:  " + m.incarnation());
      out.println("created:      " + (m.created() == null ? "unknown" : m.created()));
      out.println("records:      " + m.recordCount());
      out.println("first offset: " + m.firstOffset());
      out.println("last offset:  " + m.lastOffset());
      out.println("last append:  " + (m.lastAppend() == null ? "never" : m.lastAppend()));
      out.println("retention:    " + m.retention());
    }
    return 0;
  }
}
