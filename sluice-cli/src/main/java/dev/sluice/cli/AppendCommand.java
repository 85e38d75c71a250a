package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Store;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice append STREAM [JSON...]}: appends JSON values given as arguments (one atomic
 * batch), or NDJSON lines from a file or standard input (atomic per batch).
 */
@Command(
    name = "append",
    description = {
      "Append JSON values to a stream: each argument is one value (all in one atomic batch);",
      "with no values, reads NDJSON (one value per line) from --file or standard input,",
      "appending atomically per batch. A line that is not JSON stops the command before",
      "its batch is written, and says which line."
    })
final class AppendCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROGRESS_FROM_BYTES = 1_000_000;

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
  String stream;

  @Parameters(index = "1..*", paramLabel = "JSON", description = "Values to append.")
  List<String> values = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read NDJSON from this file.")
  Path file;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Records per atomic batch when reading NDJSON (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--no-progress", description = "Do not draw a progress bar.")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1: " + batchSize);
    }
    if (!values.isEmpty() && file != null) {
      throw new IllegalArgumentException("give JSON values or --file, not both");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Store s = store.open()) {
      EventStream<JsonNode> target = s.stream(stream, Codecs.json(JsonNode.class));
      if (!values.isEmpty()) {
        List<JsonNode> batch = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
          try {
            batch.add(JSON.readTree(values.get(i)));
          } catch (JsonProcessingException e) {
            err.println(
                "sluice: argument "
                    + (i + 1)
                    + " is not JSON: "
                    + e.getOriginalMessage()
                    + "; nothing was appended");
            return 1;
          }
        }
        long first = target.appendAll(batch);
        out.println(summary(batch.size(), first, first + batch.size() - 1));
        return 0;
      }
      if (file != null && !Files.isRegularFile(file)) {
        err.println("sluice: no such file: " + file);
        return 1;
      }
      long total = file == null ? -1 : Files.size(file);
      Progress progress =
          noProgress || total < PROGRESS_FROM_BYTES ? null : new Progress(err, total);
      try (CountingStream in =
          new CountingStream(file == null ? System.in : Files.newInputStream(file))) {
        return appendLines(target, in, progress, out, err);
      }
    }
  }

  private int appendLines(
      EventStream<JsonNode> target,
      CountingStream in,
      Progress progress,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    List<JsonNode> batch = new ArrayList<>(batchSize);
    long appended = 0;
    long first = -1;
    long last = -1;
    long lineNumber = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        batch.add(JSON.readTree(line));
      } catch (JsonProcessingException e) {
        if (progress != null) {
          progress.finish(in.count, appended);
        }
        err.println(
            "sluice: line "
                + lineNumber
                + " is not JSON: "
                + e.getOriginalMessage()
                + "; its batch and everything after it were not appended");
        out.println(summary(appended, first, last));
        return 1;
      }
      if (batch.size() == batchSize) {
        long offset = target.appendAll(batch);
        first = first < 0 ? offset : first;
        last = offset + batch.size() - 1;
        appended += batch.size();
        batch.clear();
        if (progress != null) {
          progress.update(in.count, appended);
        }
      }
    }
    if (!batch.isEmpty()) {
      long offset = target.appendAll(batch);
      first = first < 0 ? offset : first;
      last = offset + batch.size() - 1;
      appended += batch.size();
    }
    if (progress != null) {
      progress.finish(in.count, appended);
    }
    out.println(summary(appended, first, last));
    return 0;
  }

  private String summary(long count, long first, long last) {
    if (count == 0) {
      return "appended 0 records to " + stream;
    }
    return "appended "
        + count
        + (count == 1 ? " record" : " records")
        + " to "
        + stream
        + " (offsets "
        + first
        + ".."
        + last
        + ")";
  }

  /** Counts the bytes read, for the progress bar. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
