package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Codecs;
import dev.sluice.DeadLetter;
import dev.sluice.DeadLetters;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.Window;
import dev.sluice.WindowHandler;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tail STREAM}: prints records as NDJSON without a group (committing nothing), or,
 * with {@code --group}, runs a real consumer that prints each window and commits it once printed.
 */
@Command(
    name = "tail",
    description = {
      "Print a stream's records, or consume it as a group, as NDJSON lines.",
      "Each line holds offset, timestamp, key and value. Without --group it reads and commits"
          + " nothing (STREAM.dlq works too). With --group G it runs a consumer of group G that"
          + " prints each window (id, offsets, values) and commits it once printed; windows hold"
          + " --size N records (default 1) or all records of --every D. Without --follow it stops"
          + " when nothing more is ready; with it, it waits for more until interrupted (Ctrl-C) or"
          + " --max records were printed. If standard output fails (the reader of a pipe went"
          + " away) it stops with status 1 and commits nothing it could not print."
    })
final class TailCommand implements Callable<Integer> {
  private static final int PAGE = 500;
  private static final long FOLLOW_POLL_MILLIS = 100;

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "STREAM",
      description = "The stream's name (one starting with - goes after --).")
  String stream;

  @Option(
      names = "--from",
      paramLabel = "OFFSET",
      defaultValue = "0",
      description =
          "First offset to print (default: the first held); with --group, where a new group"
              + " starts (an existing one resumes where it is).")
  long from;

  @Option(names = "--follow", description = "Keep waiting for new records until interrupted.")
  boolean follow;

  @Option(
      names = "--max",
      paramLabel = "N",
      description = "Stop after printing N records (with --group: after windows holding N).")
  Long max;

  @Option(names = "--group", paramLabel = "G", description = "Consume as group G and commit.")
  String group;

  @Option(
      names = "--size",
      paramLabel = "N",
      description = "With --group: windows of N records (the default, with N = 1).")
  Integer size;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "With --group: a window every DURATION (500ms, 2s, PT2S), of what arrived.")
  Duration every;

  @Override
  public Integer call() throws InterruptedException {
    validate();
    boolean deadLetters = stream.endsWith(DeadLetters.SUFFIX);
    if (deadLetters && group != null) {
      String base = stream.substring(0, stream.length() - DeadLetters.SUFFIX.length());
      spec.commandLine()
          .getErr()
          .println(
              "sluice: "
                  + stream
                  + " holds dead letters; no group consumes it here. List them with ./sluice dlq"
                  + " list "
                  + base
                  + ", send them back with ./sluice dlq replay "
                  + base);
      return Main.FAILED;
    }
    if (!deadLetters) {
      Sluice.checkStreamName(stream);
    }
    try (Store s = group == null ? store.openToRead() : store.open()) {
      Optional<StreamMetadata> m = s.metadata(stream);
      if (m.isEmpty()) {
        spec.commandLine().getErr().println("sluice: no stream \"" + stream + "\" in " + s.url());
        return Main.FAILED;
      }
      return group == null ? read(s, m.get()) : consume(s);
    }
  }

  private void validate() {
    if (max != null && max < 1) {
      throw new ParameterException(spec.commandLine(), "--max must be at least 1: " + max);
    }
    if (from < 0) {
      throw new ParameterException(spec.commandLine(), "--from must not be negative: " + from);
    }
    if (group == null && (size != null || every != null)) {
      throw new ParameterException(spec.commandLine(), "--size and --every need --group");
    }
    if (size != null && every != null) {
      throw new ParameterException(spec.commandLine(), "give --size or --every, not both");
    }
    if (size != null && size < 1) {
      throw new ParameterException(spec.commandLine(), "--size must be at least 1: " + size);
    }
    if (every != null && (every.isZero() || every.isNegative())) {
      throw new ParameterException(
          spec.commandLine(), "--every must be longer than 0: " + Durations.show(every));
    }
  }

  private EventStream<byte[]> open(Store s) {
    if (stream.endsWith(DeadLetters.SUFFIX)) {
      return s.deadLetters(
          stream.substring(0, stream.length() - DeadLetters.SUFFIX.length()), Codecs.bytes());
    }
    return s.stream(stream, Codecs.bytes());
  }

  private int read(Store s, StreamMetadata start) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EventStream<byte[]> records = open(s);
    String incarnation = start.incarnation();
    long next = from;
    long printed = 0;
    boolean gone = false;
    while (max == null || printed < max) {
      int want = max == null ? PAGE : (int) Math.min(PAGE, max - printed);
      List<Record<byte[]>> page = records.read(next, want);
      // a page is printed only if the stream was the same before and after reading it
      Optional<StreamMetadata> now = s.metadata(stream);
      if (now.isEmpty() || !now.get().incarnation().equals(incarnation)) {
        if (!follow) {
          err.println("sluice: " + stream + " was dropped while it was read; stopped");
          return Main.FAILED;
        }
        if (now.isEmpty()) {
          if (!gone) {
            err.println("sluice: " + stream + " was dropped; waiting for it to be created again");
            err.flush();
            gone = true;
          }
          Thread.sleep(FOLLOW_POLL_MILLIS);
          continue;
        }
        err.println(
            "sluice: "
                + stream
                + " was dropped and created again; following the new stream from offset "
                + now.get().firstOffset());
        err.flush();
        incarnation = now.get().incarnation();
        next = now.get().firstOffset();
        gone = false;
        continue;
      }
      for (Record<byte[]> r : page) {
        out.println(Json.write(Json.record(r)));
        next = r.offset() + 1;
        printed++;
      }
      Output.check(out);
      if (page.isEmpty()) {
        if (!follow) {
          break;
        }
        Thread.sleep(FOLLOW_POLL_MILLIS); // a reader without a group has no wake-up signal
      }
    }
    return 0;
  }

  private int consume(Store s) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Streaming<byte[]> consumer =
        s.streaming(stream, Codecs.bytes())
            .group(group)
            // A window that could not be printed stops this command, uncommitted. Its claim
            // counts as an attempt; no number of such attempts may dead-letter the window, so the
            // next consumer of the group prints it.
            .retry(Retry.times(Integer.MAX_VALUE - 3).backoff(Duration.ZERO))
            .deadLetter(DeadLetter.STOP);
    if (from > 0) {
      consumer.startFrom(from);
    }
    if (every != null) {
      consumer.every(every);
    } else {
      consumer.size(size == null ? 1 : size);
    }
    AtomicLong consumed = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    AtomicBoolean outputFailed = new AtomicBoolean();
    WindowHandler<byte[]> handler =
        w -> {
          try {
            print(out, w, consumed, enough);
          } catch (Output.OutputFailed e) {
            outputFailed.set(true);
            enough.countDown();
            throw e;
          }
        };
    if (!follow) {
      while (!outputFailed.get()
          && (max == null || consumed.get() < max)
          && consumer.once(handler)) {
        // one ready window at a time, each committed before the next
      }
      return outputFailed.get() ? outputFailed() : 0;
    }
    try (StreamingJob job = consumer.start(handler)) {
      Thread hook = new Thread(job::close, "sluice-tail-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        // waits for --max, the job's end or an interrupt, with no polling while idle
        Thread ended =
            new Thread(
                () -> {
                  try {
                    job.awaitTermination();
                  } catch (InterruptedException e) {
                    return;
                  }
                  enough.countDown();
                },
                "sluice-tail-end");
        ended.setDaemon(true);
        ended.start();
        enough.await();
        ended.interrupt();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is stopping the job
        }
      }
      if (outputFailed.get()) {
        job.close(); // releases the claim of the window that was not printed
        return outputFailed();
      }
      if (job.failure().isPresent()) {
        spec.commandLine()
            .getErr()
            .println("sluice: the consumer stopped: " + Main.Errors.describe(job.failure().get()));
        return Main.FAILED;
      }
    }
    return 0;
  }

  private int outputFailed() {
    spec.commandLine().getErr().println("sluice: " + new Output.OutputFailed().getMessage());
    return Main.FAILED;
  }

  private void print(
      PrintWriter out, Window<byte[]> w, AtomicLong consumed, CountDownLatch enough) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("window", w.id());
    n.put("firstOffset", w.firstOffset());
    n.put("lastOffset", w.lastOffset());
    n.put("size", w.size());
    n.put("start", String.valueOf(w.start()));
    n.put("end", String.valueOf(w.end()));
    ArrayNode values = n.putArray("values");
    w.data().forEach(v -> values.add(Json.value(v)));
    synchronized (out) {
      out.println(Json.write(n));
      Output.check(out); // throws before the window is committed
    }
    if (max != null && consumed.addAndGet(w.size()) >= max) {
      enough.countDown();
    }
  }
}
