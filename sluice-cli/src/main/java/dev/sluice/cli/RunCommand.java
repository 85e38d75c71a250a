package dev.sluice.cli;

import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.config.Deployment;
import dev.sluice.config.SluiceConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice run --config FILE}: starts the sources and consumers a configuration declares. */
@Command(
    name = "run",
    description = {
      "Start the sources and consumers declared in a JSON configuration file (docs/CONNECTORS.md)",
      "and run them until interrupted (Ctrl-C), or with --drain until the sources have ended and",
      "every consumer has caught up. Connector types on the classpath: ndjson, stdout, stream,",
      "mqtt, mongo."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The configuration file.")
  Path config;

  @Option(
      names = {"-s", "--store"},
      paramLabel = "URL",
      description =
          "Store URL; overrides the file's \"store\". Default: the file's, else $SLUICE_URL,"
              + " else "
              + Sluice.DEFAULT_URL
              + ".")
  String store;

  @Option(
      names = "--drain",
      description = "Stop once every source has ended and every consumer has no lag.")
  boolean drain;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SluiceConfig cfg = SluiceConfig.read(config);
    String url = store != null ? store : cfg.store().orElse(null);
    if (url == null) {
      url = new StoreOption().url();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // on Ctrl-C the hook asks the loop below to stop, then waits until everything is closed
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                closed.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sluice-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Store s = Sluice.open(url);
        Deployment d = cfg.start(s)) {
      out.printf(
          "running %d source(s) and %d consumer(s) of %s on %s%n",
          d.sources().size(), d.consumers().size(), config, s.url());
      d.sources().keySet().forEach(k -> out.println("  source   " + k));
      d.consumers().keySet().forEach(k -> out.println("  consumer " + k));
      out.flush();
      while (!stopped.await(100, TimeUnit.MILLISECONDS)) {
        if (failed(d) || (drain && drained(d))) {
          break;
        }
      }
      return report(d, out);
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
  }

  private static boolean failed(Deployment d) {
    for (StreamingJob job : d.consumers().values()) {
      if (job.failure().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static boolean drained(Deployment d) {
    for (EventStream.Attachment a : d.sources().values()) {
      if (a.isRunning()) {
        return false;
      }
    }
    for (String key : d.consumers().keySet()) {
      String stream = key.substring(0, key.lastIndexOf('/'));
      String group = key.substring(key.lastIndexOf('/') + 1);
      for (GroupMetadata g : d.store().stream(stream).groups()) {
        if (g.name().equals(group) && g.lag() > 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static int report(Deployment d, PrintWriter out) {
    int status = 0;
    for (Map.Entry<String, EventStream.Attachment> e : d.sources().entrySet()) {
      EventStream.Attachment a = e.getValue();
      out.printf(
          "source   %s: %d appended, %d dead-lettered%s%n",
          e.getKey(),
          a.appended(),
          a.deadLettered(),
          a.failure().map(f -> ", failed: " + f).orElse(""));
      status |= a.failure().isPresent() ? 1 : 0;
    }
    for (Map.Entry<String, StreamingJob> e : d.consumers().entrySet()) {
      StreamingJob job = e.getValue();
      out.printf(
          "consumer %s: %s%s%n",
          e.getKey(), job.metrics(), job.failure().map(f -> ", failed: " + f).orElse(""));
      status |= job.failure().isPresent() ? 1 : 0;
    }
    return status;
  }
}
