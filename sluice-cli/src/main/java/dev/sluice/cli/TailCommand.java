package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Store;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.Window;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tail STREAM}: prints records as NDJSON without a group (committing nothing), or,
 * with {@code --group}, runs a real consumer that prints each window and commits it.
 */
@Command(
    name = "tail",
    description = {
      "Print a stream's records as NDJSON lines (offset, timestamp, key, value).",
      "Without --group it reads and commits nothing. With --group G and --size N or --every D",
      "it runs a consumer of group G that prints each window (id, offsets, values) and commits it.",
      "Without --follow it stops when nothing more is ready; with it, it waits for more until",
      "interrupted (Ctrl-C) or --max records were printed."
    })
final class TailCommand implements Callable<Integer> {
  private static final int PAGE = 500;
  private static final long FOLLOW_POLL_MILLIS = 100;

  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
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

  @Option(names = "--size", paramLabel = "N", description = "With --group: windows of N records.")
  Integer size;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "With --group: a window every DURATION (500ms, 2s, PT2S).")
  Duration every;

  @Override
  public Integer call() throws InterruptedException {
    if (max != null && max < 1) {
      throw new IllegalArgumentException("--max must be at least 1: " + max);
    }
    if (from < 0) {
      throw new IllegalArgumentException("--from must not be negative: " + from);
    }
    if (group == null && (size != null || every != null)) {
      throw new IllegalArgumentException("--size and --every need --group");
    }
    if (size != null && every != null) {
      throw new IllegalArgumentException("give --size or --every, not both");
    }
    if (size != null && size < 1) {
      throw new IllegalArgumentException("--size must be at least 1: " + size);
    }
    try (Store s = store.open()) {
      if (s.metadata(stream).isEmpty()) {
        spec.commandLine().getErr().println("sluice: no stream \"" + stream + "\" in " + s.url());
        return 1;
      }
      return group == null ? read(s) : consume(s);
    }
  }

  private int read(Store s) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    EventStream<JsonNode> records = s.stream(stream, Codecs.json(JsonNode.class));
    long next = from;
    long printed = 0;
    while (max == null || printed < max) {
      int want = max == null ? PAGE : (int) Math.min(PAGE, max - printed);
      List<Record<JsonNode>> page = records.read(next, want);
      for (Record<JsonNode> r : page) {
        out.println(Json.write(Json.record(r)));
        next = r.offset() + 1;
        printed++;
      }
      out.flush();
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
    Streaming<JsonNode> consumer = s.streaming(stream, Codecs.json(JsonNode.class)).group(group);
    if (from > 0) {
      consumer.startFrom(from);
    }
    if (every != null) {
      consumer.every(every);
    } else if (size != null) {
      consumer.size(size);
    }
    AtomicLong consumed = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    if (!follow) {
      while ((max == null || consumed.get() < max)
          && consumer.once(w -> print(out, w, consumed, enough))) {
        // one ready window at a time, each committed before the next
      }
      return 0;
    }
    try (StreamingJob job = consumer.start(w -> print(out, w, consumed, enough))) {
      Thread hook = new Thread(job::close, "sluice-tail-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        while (job.isRunning() && !enough.await(200, TimeUnit.MILLISECONDS)) {
          // waits for --max, the job's end or an interrupt
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is stopping the job
        }
      }
      if (job.failure().isPresent()) {
        spec.commandLine().getErr().println("sluice: the consumer stopped: " + job.failure().get());
        return 1;
      }
    }
    return 0;
  }

  private void print(
      PrintWriter out, Window<JsonNode> w, AtomicLong consumed, CountDownLatch enough) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("window", w.id());
    n.put("firstOffset", w.firstOffset());
    n.put("lastOffset", w.lastOffset());
    n.put("size", w.size());
    n.put("start", String.valueOf(w.start()));
    n.put("end", String.valueOf(w.end()));
    ArrayNode values = n.putArray("values");
    w.data().forEach(values::add);
    synchronized (out) {
      out.println(Json.write(n));
      out.flush();
    }
    if (max != null && consumed.addAndGet(w.size()) >= max) {
      enough.countDown();
    }
  }
}
