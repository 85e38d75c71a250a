package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.CodecException;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import dev.sluice.Store;
import dev.sluice.internal.NdjsonLines;
import dev.sluice.spi.Codec;
import java.io.IOException;
import java.io.InputStream;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice append STREAM [JSON...]}: appends JSON values given as arguments (one atomic
 * batch), or NDJSON lines from a file or standard input (atomic per batch).
 */
@Command(
    name = "append",
    description = {
      "Append JSON values to a stream, from arguments, a file or standard input.",
      "Each argument is one value (all in one atomic batch); with no values, reads NDJSON (one"
          + " value per line, UTF-8) from --file or standard input, appending atomically per"
          + " batch. A line that is not JSON stops the command before its batch is written; the"
          + " error names the line, says how many records were stored, and how to resume with"
          + " --skip. The stream is created by the first batch stored."
    })
final class AppendCommand implements Callable<Integer> {
  private static final Codec<JsonNode> JSON = Codecs.json(JsonNode.class);
  private static final long PROGRESS_FROM_BYTES = 1_000_000;
  private static final String STDIN = "standard input";

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
  String stream;

  @Parameters(index = "1..*", paramLabel = "JSON", description = "Values to append.")
  List<String> values = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read NDJSON from this file (a pipe or FIFO too; - is standard input).")
  String file;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Records per atomic batch when reading NDJSON (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--skip",
      paramLabel = "LINES",
      defaultValue = "0",
      description =
          "Skip the first LINES lines of the input: resumes a run that stopped, as its error says.")
  long skip;

  @Option(names = "--no-progress", description = "Do not draw a progress bar.")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) {
      throw new ParameterException(
          spec.commandLine(), "--batch-size must be at least 1: " + batchSize);
    }
    if (skip < 0) {
      throw new ParameterException(spec.commandLine(), "--skip must not be negative: " + skip);
    }
    if (!values.isEmpty() && (file != null || skip > 0)) {
      throw new ParameterException(
          spec.commandLine(), "give JSON values or --file/--skip, not both");
    }
    Sluice.checkStreamName(stream); // before reading anything
    return values.isEmpty() ? appendLines() : appendValues();
  }

  private int appendValues() {
    PrintWriter err = spec.commandLine().getErr();
    List<JsonNode> batch = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Parsed p = parse(values.get(i));
      if (p.problem() != null) {
        err.println("sluice: argument " + (i + 1) + " " + p.problem() + "; nothing was appended");
        return Main.FAILED;
      }
      batch.add(p.value());
    }
    try (Store s = store.open()) {
      long first = s.stream(stream, JSON).appendAll(batch);
      spec.commandLine().getOut().println(summary(batch.size(), first, first + batch.size() - 1));
    }
    return 0;
  }

  /** A value, or what is wrong with the text that should have held one. */
  private record Parsed(JsonNode value, String problem) {}

  private static Parsed parse(String text) {
    if (text.isBlank()) {
      return new Parsed(null, "is empty; give a JSON value such as {} (null for a null record)");
    }
    try {
      return new Parsed(JSON.decode(text.getBytes(StandardCharsets.UTF_8)), null);
    } catch (JsonProcessingException e) {
      if (e.getOriginalMessage().startsWith("Trailing token")) {
        return new Parsed(
            null,
            "holds more than one JSON value: more follows the first at column "
                + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())
                + "; give one value per "
                + (text.indexOf('\n') < 0 ? "argument or line" : "line"));
      }
      return new Parsed(null, "is not JSON: " + e.getOriginalMessage());
    } catch (Exception e) {
      return new Parsed(null, "is not JSON: " + e.getMessage());
    }
  }

  private int appendLines() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean stdin = file == null || file.equals("-");
    String name = stdin ? STDIN : file;
    InputStream in;
    long total = -1;
    if (stdin) {
      in = System.in;
    } else {
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        err.println("sluice: " + file + " is a directory; give a file of NDJSON lines");
        return Main.FAILED;
      }
      if (!Files.exists(path)) {
        err.println("sluice: no such file: " + file);
        return Main.FAILED;
      }
      try {
        in = Files.newInputStream(path); // a regular file, a FIFO, or /dev/fd/N from <(...)
      } catch (IOException e) {
        err.println("sluice: cannot read " + file + ": " + e);
        return Main.FAILED;
      }
      total = Files.isRegularFile(path) ? Files.size(path) : -1;
    }
    Progress progress = noProgress || total < PROGRESS_FROM_BYTES ? null : new Progress(err, total);
    try (NdjsonLines lines = new NdjsonLines(in, name);
        Run run = new Run(name, progress, lines)) {
      // Ctrl-C or SIGTERM: say what was stored, once the batch being written is in or out
      Thread onSignal = new Thread(run::stopped, "sluice-append-stopped");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        return run.appendAll();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          // the hook reports
        }
      }
    }
  }

  /** One pass over the input, opening the store only when the first batch is ready. */
  private final class Run implements AutoCloseable {
    private final String name;
    private final Progress progress;
    private final NdjsonLines lines;
    private final List<JsonNode> batch = new ArrayList<>(Math.min(batchSize, 10_000));
    private Store store;
    private EventStream<JsonNode> target;
    private long appended;
    private long first = -1;
    private long last = -1;
    private long storedThroughLine;
    private long batchFirstLine;
    private boolean stopped;
    private boolean reported;

    Run(String name, Progress progress, NdjsonLines lines) {
      this.name = name;
      this.progress = progress;
      this.lines = lines;
      this.storedThroughLine = skip;
    }

    int appendAll() throws IOException {
      long values = 0;
      try {
        for (String line; (line = lines.next()) != null; ) {
          long n = lines.lineNumber();
          if (n <= skip || line.isBlank()) {
            continue;
          }
          if (batch.isEmpty()) {
            batchFirstLine = n;
          }
          Parsed p = parse(line);
          if (p.problem() != null) {
            return failed(name + " line " + n + " " + p.problem());
          }
          batch.add(p.value());
          values++;
          if (batch.size() == batchSize) {
            flush(n);
          }
        }
        if (!batch.isEmpty()) {
          flush(lines.lineNumber());
        }
      } catch (CodecException e) {
        return failed(e.getMessage());
      } catch (SluiceException | IOException e) {
        return failed(
            "appending lines " + batchFirstLine + ".." + lines.lineNumber() + " failed: " + e);
      }
      if (progress != null) {
        progress.finish(lines.bytesRead(), appended);
      }
      if (values == 0 && skip == 0) {
        spec.commandLine()
            .getErr()
            .println("sluice: no JSON values in " + name + "; nothing was appended");
        return Main.FAILED;
      }
      spec.commandLine()
          .getOut()
          .println(
              summary(appended, first, last)
                  + (skip > 0 ? " after skipping " + skip + plural(skip, " line") : ""));
      return 0;
    }

    private synchronized void flush(long throughLine) {
      if (stopped) {
        throw new SluiceException("stopped by a signal");
      }
      if (target == null) {
        store = AppendCommand.this.store.open();
        target = store.stream(stream, JSON);
      }
      long offset = target.appendAll(batch);
      first = first < 0 ? offset : first;
      last = offset + batch.size() - 1;
      appended += batch.size();
      storedThroughLine = throughLine;
      batch.clear();
      if (progress != null) {
        progress.update(lines.bytesRead(), appended);
      }
    }

    /** Reports, from the shutdown hook, what a run stopped by a signal stored. */
    synchronized void stopped() {
      stopped = true;
      failed("stopped by a signal");
      spec.commandLine().getErr().flush();
      spec.commandLine().getOut().flush();
    }

    private synchronized int failed(String what) {
      if (reported) {
        return Main.FAILED;
      }
      reported = true;
      if (progress != null) {
        progress.finish(lines.bytesRead(), appended);
      }
      String resume =
          appended == 0 && skip == 0
              ? "nothing was appended"
              : "stored "
                  + appended
                  + plural(appended, " record")
                  + (appended > 0 ? " (offsets " + first + ".." + last + ")" : "")
                  + " from lines "
                  + (skip + 1)
                  + ".."
                  + storedThroughLine
                  + "; line "
                  + (storedThroughLine + 1)
                  + " and after were not stored";
      String again =
          storedThroughLine > 0
              ? "; to go on from there, run the command again with --skip " + storedThroughLine
              : "";
      spec.commandLine().getErr().println("sluice: " + what + "; " + resume + again);
      spec.commandLine().getOut().println(summary(appended, first, last));
      return Main.FAILED;
    }

    @Override
    public void close() {
      if (store != null) {
        store.close();
      }
    }
  }

  private String summary(long count, long first, long last) {
    if (count == 0) {
      return "appended 0 records to " + stream;
    }
    return "appended "
        + count
        + plural(count, " record")
        + " to "
        + stream
        + " (offsets "
        + first
        + ".."
        + last
        + ")";
  }

  private static String plural(long n, String noun) {
    return n == 1 ? noun : noun + "s";
  }
}
