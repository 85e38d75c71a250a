package dev.sluice.server;

import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.Streaming;
import dev.sluice.StreamingJob;
import dev.sluice.WindowFunction;
import dev.sluice.WindowHandler;
import dev.sluice.server.internal.AppConfig;
import dev.sluice.server.internal.AppRuntime;
import dev.sluice.server.internal.Declaration;
import dev.sluice.server.internal.Tokens;
import dev.sluice.spi.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A streaming app: a store, consumers and sources declared in code, and an HTTP server with a JSON
 * API, HTTP ingest ({@code POST /streams/{name}}), Prometheus metrics ({@code GET /metrics}) and a
 * live dashboard ({@code GET /}). The same app runs from the command line as {@code sluice serve}.
 *
 * <pre>{@code
 * try (RunningApp app = StreamingApp.builder()
 *     .store(store)                                  // or .storeUrl("sqlite:./data")
 *     .port(8080)                                    // 127.0.0.1 unless .host(..) says otherwise
 *     .token(System.getenv("SLUICE_TOKEN"))          // writes need "Authorization: Bearer ..."
 *     .consumer("billing", s -> s.streaming("orders").group("billing").size(100), w -> bill(w))
 *     .build()
 *     .start()) {
 *   app.awaitClose();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. Each {@link #start()} runs it anew.
 */
public final class StreamingApp {
  private final AppConfig config;

  private StreamingApp(AppConfig config) {
    this.config = config;
  }

  /** A builder with the defaults: 127.0.0.1, port 8080, no token, 16 MiB bodies. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the store (if a URL was given), starts the declared consumers and sources, and starts the
   * HTTP server; returns once it listens.
   *
   * @throws ServerException if the server cannot bind or a consumer cannot start; whatever had
   *     started is stopped again
   */
  public RunningApp start() {
    return AppRuntime.start(config);
  }

  /** Configures a {@link StreamingApp}. Not thread-safe. */
  public static final class Builder {
    private Store store;
    private String storeUrl;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String token;
    private boolean protectReads;
    private boolean allowRemoteWithoutToken;
    private boolean createStreams = true;
    private long maxBodyBytes = 16L << 20;
    private int maxLineBytes = 1 << 20;
    private int maxRecordsPerRequest = 100_000;
    private int maxReadRecords = 10_000;
    private int maxTails = 16;
    private Duration sampleEvery = Duration.ofSeconds(1);
    private Duration history = Duration.ofMinutes(5);
    private int recentWindows = 200;
    private final List<Declaration> declarations = new ArrayList<>();

    private Builder() {}

    /** Serves this store; the app does not close it. */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Opens the store at this URL when started, and closes it when closed. */
    public Builder storeUrl(String url) {
      this.storeUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The address to listen on; default {@code 127.0.0.1}, reachable from this machine only.
     * Another address without a {@link #token} is refused at {@link #build()} unless {@link
     * #allowRemoteWithoutToken} says so.
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; default 8080; 0 takes any free port (see {@link RunningApp#port}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The bearer token that write endpoints (and, with {@link #protectReads}, read endpoints)
     * require as {@code Authorization: Bearer TOKEN}; compared in constant time. Null for none.
     *
     * @throws IllegalArgumentException if the token is shorter than 16 characters or holds
     *     characters other than printable ASCII
     */
    public Builder token(String token) {
      this.token = token == null ? null : Tokens.check(token);
      return this;
    }

    /** Whether read endpoints need the token too (the dashboard then asks for it). */
    public Builder protectReads(boolean protectReads) {
      this.protectReads = protectReads;
      return this;
    }

    /** Allows listening on a non-loopback address without a token. Default false. */
    public Builder allowRemoteWithoutToken(boolean allow) {
      this.allowRemoteWithoutToken = allow;
      return this;
    }

    /**
     * Whether {@code POST /streams/{name}} creates a stream that does not exist (default true);
     * when false such a request gets 404.
     */
    public Builder createStreams(boolean createStreams) {
      this.createStreams = createStreams;
      return this;
    }

    /** The largest request body accepted, in bytes (default 16 MiB); larger ones get 413. */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /** The largest NDJSON line accepted, in bytes (default 1 MiB); longer ones get 413. */
    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = (int) positive("maxLineBytes", bytes);
      return this;
    }

    /** The most records one request may append (default 100,000); more get 413. */
    public Builder maxRecordsPerRequest(int records) {
      this.maxRecordsPerRequest = (int) positive("maxRecordsPerRequest", records);
      return this;
    }

    /** The largest {@code max} a read may ask for (default 10,000). */
    public Builder maxReadRecords(int records) {
      this.maxReadRecords = (int) positive("maxReadRecords", records);
      return this;
    }

    /** How many live tails may be open at once (default 16); more get 503. */
    public Builder maxTails(int tails) {
      this.maxTails = (int) positive("maxTails", tails);
      return this;
    }

    /** How often rates, lag series and store gauges are sampled (default 1 s). */
    public Builder sampleEvery(Duration interval) {
      if (interval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("sampleEvery must be at least 10 ms: " + interval);
      }
      this.sampleEvery = interval;
      return this;
    }

    /** How much of the sampled series the dashboard can show (default 5 minutes). */
    public Builder history(Duration history) {
      if (history.isNegative() || history.isZero()) {
        throw new IllegalArgumentException("history must be positive: " + history);
      }
      this.history = history;
      return this;
    }

    /** How many finished windows the dashboard keeps (default 200). */
    public Builder recentWindows(int windows) {
      this.recentWindows = (int) positive("recentWindows", windows);
      return this;
    }

    /**
     * A consumer started with the app: {@code streaming} configures it on the app's store, {@code
     * handler} handles its windows. Each window's duration and outcome is shown on the dashboard
     * and counted in {@code sluice_window_duration_seconds}.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public <T> Builder consumer(
        String name,
        Function<? super Store, ? extends Streaming<T>> streaming,
        WindowHandler<? super T> handler) {
      Objects.requireNonNull(streaming, "streaming");
      Objects.requireNonNull(handler, "handler");
      return declare(
          new Declaration(
              name,
              "consumer",
              (store, log) -> streaming.apply(store).start(log.wrapHandler(name, handler)),
              null));
    }

    /**
     * A consumer whose windows become results written to a sink, started with the app.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public <T, R> Builder processor(
        String name,
        Function<? super Store, ? extends Streaming<T>> streaming,
        WindowFunction<? super T, ? extends R> function,
        Function<? super Store, ? extends Sink<? super R>> sink) {
      Objects.requireNonNull(streaming, "streaming");
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(sink, "sink");
      return declare(
          new Declaration(
              name,
              "consumer",
              (store, log) -> {
                WindowFunction<T, R> timed = log.wrap(name, function);
                return streaming.apply(store).process(timed).sink(sink.apply(store)).start();
              },
              null));
    }

    /**
     * Any job started with the app, such as one built from a configuration file: the app shows its
     * state and metrics and stops it on close, but does not see its windows one by one.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public Builder job(String name, Function<? super Store, ? extends StreamingJob> starter) {
      Objects.requireNonNull(starter, "starter");
      return declare(new Declaration(name, "job", (store, log) -> starter.apply(store), null));
    }

    /**
     * A source attached to a stream when the app starts ({@code s ->
     * s.stream("readings").attach(source)}); shown with its state and count, closed on close.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public Builder source(
        String name, Function<? super Store, ? extends EventStream.Attachment> attach) {
      Objects.requireNonNull(attach, "attach");
      return declare(new Declaration(name, "source", null, attach::apply));
    }

    /**
     * The app described so far.
     *
     * @throws IllegalArgumentException if neither or both of a store and a store URL were given, or
     *     if a non-loopback host has no token and remote access without one was not allowed
     */
    public StreamingApp build() {
      if ((store == null) == (storeUrl == null)) {
        throw new IllegalArgumentException(
            "give exactly one of store(..) and storeUrl(..): "
                + (store == null ? "neither" : "both")
                + " was given");
      }
      if (token == null && !allowRemoteWithoutToken && !Tokens.isLoopback(host)) {
        throw new IllegalArgumentException(
            "host \""
                + host
                + "\" is reachable from other machines, so a token is required (token(..)),"
                + " or say allowRemoteWithoutToken(true)");
      }
      if (protectReads && token == null) {
        throw new IllegalArgumentException("protectReads(true) needs a token(..)");
      }
      return new StreamingApp(
          new AppConfig(
              store,
              storeUrl,
              host,
              port,
              token == null ? null : Tokens.digest(token),
              protectReads,
              allowRemoteWithoutToken,
              createStreams,
              maxBodyBytes,
              maxLineBytes,
              maxRecordsPerRequest,
              maxReadRecords,
              maxTails,
              sampleEvery,
              history,
              recentWindows,
              List.copyOf(declarations)));
    }

    private Builder declare(Declaration declaration) {
      String name = declaration.name();
      if (name == null || !name.matches("[A-Za-z0-9._-]{1,200}")) {
        throw new IllegalArgumentException(
            "a consumer, job or source name must match [A-Za-z0-9._-]{1,200}: " + name);
      }
      Set<String> taken = new HashSet<>();
      declarations.forEach(d -> taken.add(d.name()));
      if (taken.contains(name)) {
        throw new IllegalArgumentException("a consumer, job or source is already named " + name);
      }
      declarations.add(declaration);
      return this;
    }

    private static long positive(String what, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1: " + value);
      }
      return value;
    }
  }
}
