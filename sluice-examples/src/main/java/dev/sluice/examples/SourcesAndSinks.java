package dev.sluice.examples;

import dev.sluice.EventStream;
import dev.sluice.Sinks;
import dev.sluice.Sources;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.spi.Sink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The README's sources-and-sinks example, compiled. */
public final class SourcesAndSinks {
  private SourcesAndSinks() {}

  /**
   * Loads an NDJSON file into the stream {@code readings}, then runs a consumer that writes one
   * line per window of 100 records to {@code out} until {@code expectedWindows} were written.
   */
  public static long loadAndSummarize(Store store, Path in, Path out, int expectedWindows)
      throws Exception {
    // README: sources and sinks
    EventStream<Map<String, Object>> readings = store.stream("readings");
    try (EventStream.Attachment loading = readings.attach(Sources.ndjson(in))) {
      loading.await(Duration.ofMinutes(1)); // a bad line fails it, naming the file and line
    }
    try (Sink<Object> summaries = Sinks.ndjson(out); // forced to disk before each commit
        StreamingJob job =
            store
                .streaming("readings")
                .group("summaries")
                .size(100)
                .process(w -> Map.of("window", w.id(), "records", w.size()))
                .sink(summaries)
                .start()) {
      // runs until closed
      // README: end
      while (job.metrics().windowsDone() < expectedWindows && job.isRunning()) {
        Thread.sleep(10); // the example's caller wants a result; a service would keep running
      }
      return job.metrics().windowsDone();
    }
  }
}
