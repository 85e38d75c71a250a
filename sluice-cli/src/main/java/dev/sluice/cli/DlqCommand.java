package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Codecs;
import dev.sluice.DeadLetter;
import dev.sluice.DeadLetters;
import dev.sluice.DeadLetters.Original;
import dev.sluice.Delivery;
import dev.sluice.EmitterContext;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Record;
import dev.sluice.Retry;
import dev.sluice.Store;
import dev.sluice.Streaming;
import dev.sluice.WindowBounds;
import dev.sluice.WindowEmitter;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice dlq list|replay STREAM}: shows a stream's dead letters, or sends them back.
 *
 * <p>Replay consumes {@code STREAM.dlq} as the consumer group {@value #REPLAY_GROUP} with
 * exactly-once delivery: each batch of originals is appended to {@code STREAM} in the transaction
 * that commits the group past those dead letters, so a replay interrupted at any point, or run
 * twice, sends each dead letter back exactly once.
 */
@Command(
    name = "dlq",
    description = "Dead letters: records a consumer gave up on, kept in STREAM.dlq.",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand implements Runnable {
  static final String REPLAY_GROUP = "replay";
  private static final int PAGE = 500;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the replay group stands on a dead-letter stream: the first dead letter not replayed. */
  static long replayedUpTo(EventStream<byte[]> dlq) {
    return dlq.groups().stream()
        .filter(g -> g.name().equals(REPLAY_GROUP))
        .map(GroupMetadata::committed)
        .findFirst()
        .orElse(0L);
  }

  static Optional<EventStream<byte[]>> open(Store s, String stream, PrintWriter err) {
    String name = DeadLetters.name(stream);
    if (s.metadata(name).isEmpty()) {
      err.println("sluice: no dead letters for \"" + stream + "\" in " + s.url());
      return Optional.empty();
    }
    return Optional.of(s.deadLetters(stream, Codecs.bytes()));
  }

  /** {@code sluice dlq list STREAM}. */
  @Command(
      name = "list",
      description = "List a stream's dead letters: offset, original offset, window, error.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin StoreOption store;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
    String stream;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (Store s = store.open()) {
        EventStream<byte[]> dlq = open(s, stream, spec.commandLine().getErr()).orElse(null);
        if (dlq == null) {
          return 1;
        }
        long replayed = replayedUpTo(dlq);
        out.printf(
            "%-8s %-10s %-24s %-8s %-9s %s%n",
            "DLQ", "OFFSET", "WINDOW", "ATTEMPTS", "REPLAYED", "ERROR: MESSAGE");
        long count = 0;
        for (long next = 0; ; ) {
          List<Record<byte[]>> page = dlq.read(next, PAGE);
          if (page.isEmpty()) {
            break;
          }
          for (Record<byte[]> r : page) {
            JsonNode n = Json.MAPPER.readTree(r.value());
            out.printf(
                "%-8d %-10s %-24s %-8s %-9s %s: %s%n",
                r.offset(),
                n.path("offset").asText("?"),
                n.path("window").asText("?"),
                n.path("attempts").asText("?"),
                r.offset() < replayed ? "yes" : "no",
                n.path("error").asText("?"),
                n.path("message").asText(""));
            next = r.offset() + 1;
            count++;
          }
        }
        out.println(
            count
                + " dead letters, "
                + Math.max(
                    0,
                    dlq.metadata().nextOffset() - Math.max(replayed, dlq.metadata().firstOffset()))
                + " not replayed");
      }
      return 0;
    }
  }

  /** {@code sluice dlq replay STREAM}. */
  @Command(
      name = "replay",
      description = {
        "Append each dead letter's original value (and key) back to STREAM, atomically per batch,",
        "and remember how far it got (group \"" + REPLAY_GROUP + "\" of STREAM.dlq), so running",
        "it again replays only dead letters that arrived since."
      })
  static final class ReplayCommand implements Callable<Integer> {
    @Mixin StoreOption store;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream's name.")
    String stream;

    @Option(names = "--dry-run", description = "Only say what would be replayed.")
    boolean dryRun;

    @Option(
        names = "--batch-size",
        defaultValue = "500",
        description = "Dead letters per atomic batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1: " + batchSize);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Store s = store.open()) {
        EventStream<byte[]> dlq = open(s, stream, spec.commandLine().getErr()).orElse(null);
        if (dlq == null) {
          return 1;
        }
        long before = Math.max(replayedUpTo(dlq), dlq.metadata().firstOffset());
        long end = dlq.metadata().nextOffset();
        if (dryRun) {
          out.println(
              "would replay "
                  + (end - before)
                  + " dead letters to "
                  + stream
                  + (end > before
                      ? " (" + dlq.name() + " offsets " + before + ".." + (end - 1) + ")"
                      : ""));
          return 0;
        }
        s.stream(stream); // recreates a dropped stream: the originals need somewhere to go
        Streaming.Results<byte[], List<Original>> replay =
            s.deadLetters(stream, Codecs.bytes())
                .streaming()
                .group(REPLAY_GROUP)
                .window(new Available(batchSize))
                .retry(Retry.none())
                .deadLetter(DeadLetter.STOP)
                .delivery(Delivery.EXACTLY_ONCE)
                .process(w -> originals(w.data()))
                .sink(new ReplaySink(s.url(), stream));
        while (replay.once()) {
          // each batch: originals appended and the group committed in one transaction
        }
        long after = replayedUpTo(dlq);
        long replayed = Math.max(0, after - before);
        out.println(
            "replayed "
                + replayed
                + " dead letters to "
                + stream
                + (replayed > 0
                    ? " (" + dlq.name() + " offsets " + before + ".." + (after - 1) + ")"
                    : ""));
        if (after < end) {
          spec.commandLine()
              .getErr()
              .println(
                  "sluice: stopped at "
                      + dlq.name()
                      + " offset "
                      + after
                      + " of "
                      + end
                      + "; see the log above");
          return 1;
        }
      }
      return 0;
    }

    private List<Original> originals(List<byte[]> deadLetters) {
      List<Original> out = new ArrayList<>(deadLetters.size());
      for (byte[] d : deadLetters) {
        Original o = DeadLetters.original(d);
        if (!o.stream().equals(stream)) {
          throw new IllegalStateException(
              "a dead letter of stream \""
                  + o.stream()
                  + "\" in the dead letters of \""
                  + stream
                  + "\"");
        }
        out.add(o);
      }
      return out;
    }
  }

  /** Every dead letter available now, up to a batch: replay never waits for more. */
  private record Available(int max) implements WindowEmitter<Object> {
    @Override
    public Optional<WindowBounds> next(EmitterContext<?> ctx) {
      long available = ctx.available();
      if (available == 0) {
        return Optional.empty();
      }
      List<? extends Record<?>> batch = ctx.peek((int) Math.min(max, available));
      Record<?> first = batch.get(0);
      Record<?> last = batch.get(batch.size() - 1);
      return Optional.of(
          WindowBounds.ofOffsets(
              first.offset(), last.offset(), first.timestamp(), last.timestamp()));
    }
  }

  /** Appends originals, keys kept, to their stream inside the replay group's commit. */
  private record ReplaySink(String storeUrl, String stream)
      implements TransactionalSink<List<Original>> {
    @Override
    public void write(StoreTransaction tx, List<? extends List<Original>> batches) {
      List<Entry> entries = new ArrayList<>();
      for (List<Original> batch : batches) {
        for (Original o : batch) {
          entries.add(new Entry(o.key(), o.value()));
        }
      }
      if (!entries.isEmpty()) {
        tx.append(stream, entries);
      }
    }

    @Override
    public void write(List<Original> batch) {
      throw new UnsupportedOperationException("replay appends only inside the group's commit");
    }
  }
}
