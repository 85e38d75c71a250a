package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.StoreException;
import dev.sluice.StreamMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes requests to the API, the dashboard and the metrics; every reply is JSON or a page. */
final class Front extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(Front.class);
  private static final String JSON_TYPE = "application/json";
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private final AppRuntime app;
  private final AppConfig config;
  private final boolean loopbackOnly;
  private final Dashboard dashboard;
  private final Tail tail;

  Front(AppRuntime app, AppConfig config, boolean loopbackOnly) {
    super(InvocationType.BLOCKING);
    this.app = app;
    this.config = config;
    this.loopbackOnly = loopbackOnly;
    this.dashboard = new Dashboard();
    this.tail = new Tail(app, config.maxTails());
  }

  Tail tail() {
    return tail;
  }

  /** A reply to send: status, type and body. */
  record Reply(int status, String type, byte[] body) {
    static Reply json(int status, Object value) {
      return new Reply(status, JSON_TYPE, Json.bytes(value));
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String[] route = {"unmatched"};
    Reply reply;
    try {
      reply = route(request, response, callback, route);
      if (reply == null) {
        record(request, route[0], 200, start);
        return true; // a live tail answered on its own
      }
    } catch (HttpError e) {
      reply = error(e.status, e.getMessage());
    } catch (IllegalArgumentException e) {
      reply = error(400, e.getMessage());
    } catch (StoreException e) {
      LOG.warn("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
      reply = error(503, "the store refused: " + e.getMessage());
    } catch (Exception e) {
      LOG.error("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
      reply =
          error(500, "internal error (" + e.getClass().getSimpleName() + "); see the server log");
    }
    record(request, route[0], reply.status(), start);
    send(response, reply, callback);
    return true;
  }

  static Reply error(int status, String message) {
    ObjectNode o = Json.object();
    o.put("status", status);
    o.put("error", HttpStatus.getMessage(status));
    o.put("message", message);
    return Reply.json(status, o);
  }

  private void record(Request request, String route, int status, long start) {
    MeterRegistry registry = app.registry();
    Timer.builder("sluice.http.requests")
        .description("HTTP requests by method, route and status")
        .tag("method", METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  static void send(Response response, Reply reply, Callback callback) {
    response.setStatus(reply.status());
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, reply.type());
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    if (reply.status() == 401) {
      headers.put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
    }
    if (reply.type().startsWith("text/html")) {
      headers.put(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
      headers.put("X-Frame-Options", "DENY");
    }
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  private Reply route(Request request, Response response, Callback callback, String[] route)
      throws Exception {
    checkHost(request);
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    String[] parts = path.split("/", -1);
    if (parts.length < 2 || !parts[0].isEmpty()) {
      throw new HttpError(404, "no such resource: " + Ingest.shorten(path));
    }
    switch (parts.length == 2 ? parts[1] : parts[1] + "/*".repeat(parts.length - 2)) {
      case "" -> {
        route[0] = "/";
        allow(method, "GET");
        params(request);
        return dashboard.page();
      }
      case "dashboard/*" -> {
        route[0] = "/dashboard/*";
        allow(method, "GET");
        params(request);
        return dashboard.asset(parts[2]);
      }
      case "health" -> {
        route[0] = "/health";
        allow(method, "GET");
        params(request);
        return Reply.json(200, Json.object().put("status", "up"));
      }
      case "ready" -> {
        route[0] = "/ready";
        allow(method, "GET");
        params(request);
        return ready();
      }
      case "status" -> {
        route[0] = "/status";
        read(request, method);
        params(request);
        return Reply.json(200, app.status());
      }
      case "metrics" -> {
        route[0] = "/metrics";
        read(request, method);
        params(request);
        PrometheusMeterRegistry registry = app.registry();
        String text;
        try {
          text = registry.scrape();
        } catch (RuntimeException e) {
          LOG.error("scraping the metrics failed", e);
          throw new HttpError(500, "the metrics could not be gathered; see the server log");
        }
        return new Reply(
            200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
      }
      case "history" -> {
        route[0] = "/history";
        read(request, method);
        params(request);
        return Reply.json(200, app.sampler().history());
      }
      case "windows" -> {
        route[0] = "/windows";
        read(request, method);
        int max = (int) number(params(request, "max"), "max", 50, 1, 1_000);
        return Reply.json(200, app.windows(max));
      }
      case "dead-letters" -> {
        route[0] = "/dead-letters";
        read(request, method);
        int max = (int) number(params(request, "max"), "max", 20, 1, 1_000);
        return Reply.json(200, app.deadLetters(max));
      }
      case "streams" -> {
        route[0] = "/streams";
        read(request, method);
        params(request);
        return Reply.json(200, streams());
      }
      case "streams/*" -> {
        route[0] = "/streams/{name}";
        String name = name(parts[2]);
        if (method.equals("POST")) {
          write(request);
          return append(request, name);
        }
        allow(method, "GET", "POST");
        read(request, method);
        params(request);
        return Reply.json(200, stream(name));
      }
      case "streams/*/*" -> {
        String name = name(parts[2]);
        switch (parts[3]) {
          case "records" -> {
            route[0] = "/streams/{name}/records";
            read(request, method);
            Fields q = params(request, "from", "max");
            long from = number(q, "from", 0, 0, Long.MAX_VALUE);
            int max = (int) number(q, "max", 100, 1, config.maxReadRecords());
            existing(name);
            return Reply.json(200, records(name, from, max));
          }
          case "tail" -> {
            route[0] = "/streams/{name}/tail";
            read(request, method);
            Fields q = params(request, "from", "max");
            long from = number(q, "from", -1, 0, Long.MAX_VALUE);
            long max = number(q, "max", Long.MAX_VALUE, 1, Long.MAX_VALUE);
            String lastId = request.getHeaders().get("Last-Event-ID");
            if (lastId != null) {
              from = parseLong(lastId, "Last-Event-ID") + 1;
            }
            StreamMetadata m = existing(name);
            tail.run(request, response, callback, name, from < 0 ? m.nextOffset() : from, max);
            return null;
          }
          default -> {
            route[0] = "unmatched";
            throw new HttpError(404, "no such resource: " + Ingest.shorten(path));
          }
        }
      }
      default -> throw new HttpError(404, "no such resource: " + Ingest.shorten(path));
    }
  }

  /** Refuses a Host other than a loopback name when bound to loopback (DNS rebinding). */
  private void checkHost(Request request) {
    if (!loopbackOnly) {
      return;
    }
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      return;
    }
    String name = host;
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      name = host.substring(0, colon);
    }
    if (!LOOPBACK_HOSTS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new HttpError(
          421,
          "this server answers only to localhost, 127.0.0.1 or [::1], not to Host \""
              + Ingest.shorten(host)
              + "\"");
    }
  }

  private static void allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new HttpError(
        405,
        "method "
            + Ingest.shorten(method)
            + " is not allowed here; use "
            + String.join(" or ", allowed));
  }

  private void read(Request request, String method) {
    allow(method, "GET");
    if (config.protectReads()) {
      authorize(request);
    }
  }

  private void write(Request request) {
    if (config.tokenDigest() != null) {
      authorize(request);
    }
  }

  private void authorize(Request request) {
    List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
    if (values.isEmpty()) {
      throw new HttpError(401, "this endpoint needs \"Authorization: Bearer <token>\"");
    }
    if (values.size() > 1 || !Tokens.matches(config.tokenDigest(), values.get(0))) {
      throw new HttpError(401, "the bearer token is wrong");
    }
  }

  private static Fields params(Request request, String... allowed) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw new HttpError(400, "the query string cannot be read: " + e.getMessage());
    }
    for (Fields.Field f : fields) {
      if (!List.of(allowed).contains(f.getName())) {
        throw new HttpError(
            400,
            "unknown query parameter \""
                + Ingest.shorten(f.getName())
                + "\""
                + (allowed.length == 0
                    ? "; this endpoint takes none"
                    : "; known: " + String.join(", ", allowed)));
      }
      if (f.getValues().size() > 1) {
        throw new HttpError(400, "query parameter \"" + f.getName() + "\" is given more than once");
      }
    }
    return fields;
  }

  private static long number(Fields q, String name, long dflt, long min, long max) {
    String v = q.getValue(name);
    if (v == null) {
      return dflt;
    }
    long n = parseLong(v, name);
    if (n < min || n > max) {
      throw new HttpError(400, name + " must be " + min + " to " + max + ": " + n);
    }
    return n;
  }

  private static long parseLong(String v, String name) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be a whole number: \"" + Ingest.shorten(v) + "\"");
    }
  }

  private static String name(String raw) {
    int limit = StoreView.isDeadLetters(raw) ? 200 + StoreView.DLQ.length() : 200;
    if (raw.isEmpty()
        || raw.length() > limit
        || !raw.matches("[A-Za-z0-9._-]+")
        || raw.startsWith(".")) {
      throw new HttpError(
          400,
          "stream name must be 1 to 200 characters of [A-Za-z0-9._-], not starting with '.': \""
              + Ingest.shorten(raw)
              + "\"");
    }
    return raw;
  }

  private StreamMetadata existing(String name) {
    return app.view()
        .metadata(name)
        .orElseThrow(() -> new HttpError(404, "no stream named \"" + name + "\""));
  }

  private Reply ready() {
    List<String> problems = app.notReady();
    ObjectNode o = Json.object();
    o.put("status", problems.isEmpty() ? "ready" : "not ready");
    ArrayNode a = o.putArray("problems");
    problems.forEach(a::add);
    return Reply.json(problems.isEmpty() ? 200 : 503, o);
  }

  private ArrayNode streams() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (String name : app.view().streams()) {
      app.view().metadata(name).ifPresent(m -> out.add(metadata(m)));
    }
    return out;
  }

  static ObjectNode metadata(StreamMetadata m) {
    ObjectNode o = Json.object();
    o.put("name", m.name());
    o.put("deadLetters", StoreView.isDeadLetters(m.name()));
    o.put("records", m.recordCount());
    o.put("firstOffset", m.firstOffset());
    o.put("nextOffset", m.nextOffset());
    o.put("created", m.created().toString());
    o.put("lastAppend", m.lastAppend() == null ? null : m.lastAppend().toString());
    o.put("retention", String.valueOf(m.retention()));
    o.put("incarnation", m.incarnation());
    return o;
  }

  private ObjectNode stream(String name) {
    StreamMetadata m = existing(name);
    ObjectNode o = metadata(m);
    Sampler.Sample s = app.sampler().last();
    Sampler.StreamPoint p = s == null ? null : s.streams().get(name);
    o.put("appendRate", p == null ? 0 : Sampler.round(p.rate()));
    if (!StoreView.isDeadLetters(name)) {
      o.put(
          "deadLetterRecords",
          app.view().metadata(name + StoreView.DLQ).map(StreamMetadata::recordCount).orElse(0L));
    }
    ArrayNode groups = o.putArray("groups");
    for (GroupMetadata g : app.view().groups(name)) {
      groups.add(group(name, g));
    }
    return o;
  }

  static ObjectNode group(String stream, GroupMetadata g) {
    ObjectNode o = Json.object();
    o.put("stream", stream);
    o.put("group", g.name());
    o.put("committed", g.committed());
    o.put("cursor", g.cursor());
    o.put("lag", g.lag());
    o.put("lastRead", g.lastRead() == null ? null : g.lastRead().toString());
    o.put("windowsDone", g.windowsDone());
    o.put("windowsFailed", g.windowsFailed());
    o.put("windowsDeadLettered", g.windowsDeadLettered());
    o.put("recordsLostToRetention", g.recordsLostToRetention());
    o.put("inFlight", g.inFlight());
    return o;
  }

  private ObjectNode records(String name, long from, int max) {
    List<ObjectNode> page = app.view().read(name, from, max);
    ObjectNode o = Json.object();
    o.put("stream", name);
    ArrayNode a = o.putArray("records");
    page.forEach(a::add);
    long next = page.isEmpty() ? from : page.get(page.size() - 1).get("offset").asLong() + 1;
    o.put("next", next);
    return o;
  }

  private Reply append(Request request, String name) throws IOException {
    if (StoreView.isDeadLetters(name)) {
      throw new HttpError(
          400, "stream name must not end in \".dlq\", which is reserved for dead-letter streams");
    }
    Fields q = params(request, "key");
    String key = q.getValue("key");
    if (key != null && key.length() > 1_000) {
      throw new HttpError(400, "key must be at most 1000 characters, got " + key.length());
    }
    if (!config.createStreams()) {
      existing(name);
    }
    Ingest.Kind kind = Ingest.kind(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    if (key != null && kind != Ingest.Kind.JSON) {
      throw new HttpError(400, "key applies to one application/json record, not to NDJSON");
    }
    byte[] body = body(request);
    List<byte[]> records =
        Ingest.records(
            kind, body, body.length, config.maxLineBytes(), config.maxRecordsPerRequest());
    EventStream<byte[]> stream = app.view().writable(name);
    long first =
        records.size() == 1 ? stream.append(key, records.get(0)) : stream.appendAll(records);
    app.appended(name, records.size());
    ObjectNode o = Json.object();
    o.put("stream", name);
    o.put("count", records.size());
    o.put("firstOffset", first);
    o.put("lastOffset", first + records.size() - 1);
    return Reply.json(200, o);
  }

  @SuppressWarnings("removal") // Jetty 12.1 still throws the BadMessageException it deprecates
  private byte[] body(Request request) throws IOException {
    long max = config.maxBodyBytes();
    long declared = request.getLength();
    if (declared > max) {
      throw new HttpError(
          413,
          "the body is "
              + declared
              + " bytes, over the limit of "
              + max
              + "; nothing was appended");
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), max));
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = Request.asInputStream(request)) {
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        if (total > max) {
          throw new HttpError(
              413, "the body is over the limit of " + max + " bytes; nothing was appended");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | org.eclipse.jetty.http.BadMessageException e) {
      throw new HttpError(
          400, "the body could not be read (" + e.getMessage() + "); nothing was appended");
    }
    return out.toByteArray();
  }
}
