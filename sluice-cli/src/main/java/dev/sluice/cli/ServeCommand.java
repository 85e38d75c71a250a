package dev.sluice.cli;

import dev.sluice.server.RunningApp;
import dev.sluice.server.StreamingApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice serve}: the streaming app on a store: the HTTP API, HTTP ingest, metrics and the
 * live dashboard, until stopped with Ctrl-C.
 */
@Command(
    name = "serve",
    description = {
      "Serve a store over HTTP: dashboard, JSON API, ingest and metrics.",
      "A live dashboard at /, the JSON API (/status, /streams, ...), ingest by POST"
          + " /streams/NAME (JSON or NDJSON, atomic) and Prometheus metrics at /metrics. Listens"
          + " on 127.0.0.1 unless --host says otherwise; stop it with Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin StoreOption store;
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(
      names = {"-p", "--port"},
      defaultValue = "8080",
      description = "Port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the bearer token that writes need (default: $SLUICE_TOKEN if set, else"
              + " no token; another --host than loopback needs one).")
  Path tokenFile;

  @Option(names = "--protect-reads", description = "Require the token for reads too.")
  boolean protectReads;

  @Option(
      names = "--no-create-streams",
      description = "Answer 404 to a POST to a stream that does not exist, instead of creating it.")
  boolean noCreateStreams;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      defaultValue = "16777216",
      description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    StreamingApp app =
        StreamingApp.builder()
            .storeUrl(store.url())
            .host(host)
            .port(port)
            .token(token())
            .protectReads(protectReads)
            .createStreams(!noCreateStreams)
            .maxBodyBytes(maxBody)
            .build();
    boolean interrupted = false;
    try (RunningApp running = app.start()) {
      Thread hook = new Thread(running::close, "sluice-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        out.println(
            "serving " + running.store().url() + " at " + running.uri() + " (Ctrl-C stops)");
        out.flush();
        running.awaitClose();
      } catch (InterruptedException e) {
        interrupted = true; // stopped by the embedding program: close first, then keep the flag
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is exiting; the hook closes the app
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private String token() throws IOException {
    if (tokenFile != null) {
      return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    }
    String env = System.getenv("SLUICE_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }
}
