package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: a producer appends records to the stream {@code demo} while a reader reads
 * them back from the store as they land.
 */
@Command(
    name = "demo",
    description =
        "Show Sluice working: a producer appends to the stream 'demo' while a reader reads it"
            + " back from the store.")
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Option(
      names = "--records",
      defaultValue = "20",
      description = "How many records to append (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--interval",
      defaultValue = "PT0.1S",
      description = "Pause between appends, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Override
  public Integer call() throws Exception {
    if (records < 1) {
      throw new IllegalArgumentException("--records must be at least 1: " + records);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Store s = store.open()) {
      EventStream<Map<String, Object>> stream = s.stream("demo");
      long from = stream.metadata().nextOffset();
      out.printf(
          "Sluice demo: store %s, stream \"demo\" (%d records already there)%n",
          s.url(), stream.metadata().recordCount());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread producer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < records; i++) {
                    Map<String, Object> value = new LinkedHashMap<>();
                    value.put("n", i);
                    value.put("sensor", "s" + (i % 3));
                    value.put("reading", Math.round((20 + 5 * Math.sin(i / 3.0)) * 100) / 100.0);
                    value.put("at", Instant.now().toString());
                    long offset = stream.append(value);
                    synchronized (out) {
                      out.printf("producer  appended  offset %-6d %s%n", offset, json(value));
                      out.flush();
                    }
                    Thread.sleep(interval.toMillis());
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "sluice-demo-producer");
      producer.start();
      long next = from;
      long seen = 0;
      while (seen < records) {
        List<Record<Map<String, Object>>> page = stream.read(next, 100);
        for (Record<Map<String, Object>> r : page) {
          synchronized (out) {
            out.printf(
                "reader    read      offset %-6d %s  (stamped %s)%n",
                r.offset(), json(r.value()), r.timestamp());
            out.flush();
          }
          next = r.offset() + 1;
          seen++;
        }
        if (page.isEmpty()) {
          if (failure.get() != null) {
            break;
          }
          Thread.sleep(20);
        }
      }
      producer.join();
      if (failure.get() != null) {
        throw new IllegalStateException(
            "the demo producer failed: " + failure.get(), failure.get());
      }
      out.printf(
          "done: %d records appended and read back; the stream now holds %d."
              + " Try: ./sluice info demo%n",
          records, stream.metadata().recordCount());
    }
    return 0;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }
}
