package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad requests, each sent over a raw socket: every one gets the right status and a JSON
 * message without a stack trace, and the store is unchanged afterwards.
 */
class SecurityCorpusTest {
  static final String TOKEN = "corpus-token-0123456789";
  @TempDir static Path dir;
  static Store store;
  static RunningApp app;
  static Http http;
  static Map<String, String> before;

  @BeforeAll
  static void start() {
    store = Sluice.open("sqlite:" + dir.resolve("store"));
    store.stream("target").appendAll(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3)));
    app =
        StreamingApp.builder()
            .store(store)
            .port(0)
            .token(TOKEN)
            .protectReads(true)
            .createStreams(false)
            .maxBodyBytes(64 * 1024)
            .maxLineBytes(1024)
            .maxRecordsPerRequest(100)
            .build()
            .start();
    http = new Http(app.uri());
    before = snapshot();
  }

  @AfterAll
  static void stop() {
    app.close();
    store.close();
  }

  static Map<String, String> snapshot() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : store.streams()) {
      StreamMetadata m = store.metadata(name).orElseThrow();
      out.put(name, m.incarnation() + " " + m.recordCount() + " " + m.nextOffset());
    }
    return out;
  }

  /** One raw request being written. */
  static final class Req {
    final String method;
    final String path;
    final List<String> headers = new ArrayList<>();
    byte[] body;
    boolean autoLength = true;
    String version = "HTTP/1.1";
    boolean host = true;

    Req(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Req h(String name, String value) {
      headers.add(name + ": " + value);
      return this;
    }

    Req auth() {
      return h("Authorization", "Bearer " + TOKEN);
    }

    Req json(String body) {
      return h("Content-Type", "application/json").body(body);
    }

    Req ndjson(String body) {
      return h("Content-Type", "application/x-ndjson").body(body);
    }

    Req body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    Req body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    Req noLength() {
      autoLength = false;
      return this;
    }

    Req version(String v) {
      version = v;
      return this;
    }

    Req noHost() {
      host = false;
      return this;
    }

    byte[] bytes(int port) {
      StringBuilder sb = new StringBuilder();
      sb.append(method).append(' ').append(path).append(' ').append(version).append("\r\n");
      if (host) {
        sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      headers.forEach(x -> sb.append(x).append("\r\n"));
      if (body != null && autoLength) {
        sb.append("Content-Length: ").append(body.length).append("\r\n");
      }
      sb.append("Connection: close\r\n\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.writeBytes(body);
      }
      return out.toByteArray();
    }
  }

  record Case(String name, int status, Req req) {}

  static Req get(String path) {
    return new Req("GET", path);
  }

  static Req post(String path) {
    return new Req("POST", path);
  }

  static String repeat(String s, int n) {
    return s.repeat(n);
  }

  static List<Case> corpus() {
    List<Case> c = new ArrayList<>();
    // authentication of writes
    c.add(new Case("write without a token", 401, post("/streams/target").json("{}")));
    c.add(
        new Case(
            "write with a wrong token",
            401,
            post("/streams/target")
                .h("Authorization", "Bearer wrong-token-0123456789")
                .json("{}")));
    c.add(
        new Case(
            "write with Basic auth",
            401,
            post("/streams/target").h("Authorization", "Basic dXNlcjpwYXNz").json("{}")));
    c.add(
        new Case(
            "write with an empty bearer",
            401,
            post("/streams/target").h("Authorization", "Bearer ").json("{}")));
    c.add(
        new Case(
            "write with the token cut short",
            401,
            post("/streams/target")
                .h("Authorization", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1))
                .json("{}")));
    c.add(
        new Case(
            "write with the token and more",
            401,
            post("/streams/target").h("Authorization", "Bearer " + TOKEN + "x").json("{}")));
    c.add(
        new Case(
            "write with two Authorization headers",
            401,
            post("/streams/target").auth().h("Authorization", "Bearer nope").json("{}")));
    c.add(
        new Case(
            "write with the token in the query",
            400,
            post("/streams/target?token=" + TOKEN).auth().json("{}")));
    // authentication of reads
    c.add(new Case("status without a token", 401, get("/status")));
    c.add(new Case("streams without a token", 401, get("/streams")));
    c.add(
        new Case(
            "records with a wrong token",
            401,
            get("/streams/target/records").h("Authorization", "Bearer wrong-token-0123456789")));
    c.add(new Case("metrics without a token", 401, get("/metrics")));
    c.add(new Case("tail without a token", 401, get("/streams/target/tail")));
    c.add(new Case("history without a token", 401, get("/history")));
    c.add(new Case("dead letters without a token", 401, get("/dead-letters")));
    // content types
    c.add(new Case("no Content-Type", 415, post("/streams/target").auth().body("{}")));
    c.add(
        new Case(
            "text/plain",
            415,
            post("/streams/target").auth().h("Content-Type", "text/plain").body("{}")));
    c.add(
        new Case(
            "form encoded",
            415,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/x-www-form-urlencoded")
                .body("a=1")));
    c.add(
        new Case(
            "multipart",
            415,
            post("/streams/target")
                .auth()
                .h("Content-Type", "multipart/form-data; boundary=x")
                .body("--x--")));
    c.add(
        new Case(
            "latin-1 charset",
            415,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json; charset=iso-8859-1")
                .body("{}")));
    c.add(
        new Case(
            "XML",
            415,
            post("/streams/target").auth().h("Content-Type", "application/xml").body("<a/>")));
    // malformed JSON
    c.add(new Case("empty JSON body", 400, post("/streams/target").auth().json("")));
    c.add(new Case("truncated JSON", 400, post("/streams/target").auth().json("{\"a\":")));
    c.add(
        new Case(
            "two JSON values", 400, post("/streams/target").auth().json("{\"a\":1}{\"b\":2}")));
    c.add(new Case("single quotes", 400, post("/streams/target").auth().json("{'a':1}")));
    c.add(
        new Case("duplicate keys", 400, post("/streams/target").auth().json("{\"a\":1,\"a\":2}")));
    c.add(new Case("NaN", 400, post("/streams/target").auth().json("NaN")));
    c.add(
        new Case(
            "nesting 1000 deep",
            400,
            post("/streams/target").auth().json(repeat("[", 1000) + repeat("]", 1000))));
    c.add(
        new Case(
            "invalid UTF-8 in JSON",
            400,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .body(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'})));
    c.add(
        new Case(
            "trailing garbage", 400, post("/streams/target").auth().json("{\"a\":1} garbage")));
    c.add(new Case("whitespace only", 400, post("/streams/target").auth().json("  \n ")));
    c.add(new Case("a comment", 400, post("/streams/target").auth().json("/* x */ {}")));
    c.add(new Case("unquoted key", 400, post("/streams/target").auth().json("{a:1}")));
    c.add(
        new Case(
            "control character in a string",
            400,
            post("/streams/target").auth().json("{\"a\":\"x\u0001y\"}")));
    // NDJSON
    c.add(
        new Case(
            "NDJSON with a bad middle line",
            400,
            post("/streams/target").auth().ndjson("{\"a\":1}\n{oops}\n{\"a\":3}\n")));
    c.add(
        new Case(
            "NDJSON with a bad last line",
            400,
            post("/streams/target").auth().ndjson("{\"a\":1}\n{\"a\":2}\n{\"a\":")));
    c.add(
        new Case("NDJSON of blank lines", 400, post("/streams/target").auth().ndjson("\n\n  \n")));
    c.add(
        new Case(
            "NDJSON line over the limit",
            413,
            post("/streams/target")
                .auth()
                .ndjson("{\"a\":1}\n{\"pad\":\"" + repeat("x", 2000) + "\"}\n")));
    c.add(
        new Case(
            "NDJSON over the record limit",
            413,
            post("/streams/target").auth().ndjson(repeat("{\"a\":1}\n", 101))));
    c.add(
        new Case(
            "NDJSON two values on a line",
            400,
            post("/streams/target").auth().ndjson("{\"a\":1} {\"a\":2}\n")));
    c.add(
        new Case(
            "NDJSON invalid UTF-8",
            400,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/x-ndjson")
                .body(new byte[] {'{', '}', '\n', '"', (byte) 0xFF, '"', '\n'})));
    c.add(
        new Case(
            "NDJSON with a key", 400, post("/streams/target?key=k").auth().ndjson("{}\n{}\n")));
    // sizes
    c.add(
        new Case(
            "body over the limit",
            413,
            post("/streams/target").auth().json("{\"pad\":\"" + repeat("x", 70 * 1024) + "\"}")));
    c.add(
        new Case(
            "chunked body over the limit",
            413,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .h("Transfer-Encoding", "chunked")
                .noLength()
                .body(chunked("{\"pad\":\"" + repeat("y", 70 * 1024) + "\"}"))));
    c.add(
        new Case(
            "declared length over the limit",
            413,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .h("Content-Length", "999999999")
                .noLength()
                .body("{}")));
    c.add(new Case("headers over 8 KiB", 431, get("/health").h("X-Pad", repeat("z", 9000))));
    c.add(
        new Case(
            "URI over 8 KiB",
            414,
            get("/streams/target/records?from=" + repeat("1", 9000)).auth()));
    c.add(
        new Case(
            "key over 1000 characters",
            400,
            post("/streams/target?key=" + repeat("k", 1001)).auth().json("{}")));
    // names
    c.add(new Case("name with a space", 400, post("/streams/bad%20name").auth().json("{}")));
    c.add(new Case("name starting with a dot", 400, post("/streams/.hidden").auth().json("{}")));
    c.add(new Case("dead-letter name", 400, post("/streams/target.dlq").auth().json("{}")));
    c.add(
        new Case(
            "name of 201 characters", 400, post("/streams/" + repeat("n", 201)).auth().json("{}")));
    c.add(new Case("name with unicode", 400, post("/streams/caf%C3%A9").auth().json("{}")));
    c.add(new Case("unknown stream, no creation", 404, post("/streams/unknown").auth().json("{}")));
    c.add(new Case("read an unknown stream", 404, get("/streams/unknown").auth()));
    c.add(new Case("records of an unknown stream", 404, get("/streams/unknown/records").auth()));
    c.add(new Case("encoded slash in a name", 400, get("/streams/a%2Fb").auth()));
    c.add(new Case("encoded traversal", 400, get("/streams/..%2F..%2Fetc").auth()));
    c.add(new Case("dashboard traversal", 400, get("/dashboard/../../etc/passwd")));
    c.add(new Case("unknown dashboard file", 404, get("/dashboard/secret.txt")));
    // parameters
    c.add(new Case("negative from", 400, get("/streams/target/records?from=-1").auth()));
    c.add(new Case("from not a number", 400, get("/streams/target/records?from=abc").auth()));
    c.add(new Case("max of 0", 400, get("/streams/target/records?max=0").auth()));
    c.add(new Case("max over the limit", 400, get("/streams/target/records?max=100000").auth()));
    c.add(new Case("unknown parameter", 400, get("/streams/target/records?evil=1").auth()));
    c.add(new Case("repeated parameter", 400, get("/streams/target/records?from=1&from=2").auth()));
    c.add(
        new Case(
            "from overflowing a long",
            400,
            get("/streams/target/records?from=99999999999999999999").auth()));
    c.add(
        new Case(
            "bad Last-Event-ID", 400, get("/streams/target/tail").auth().h("Last-Event-ID", "x")));
    // methods and paths
    c.add(new Case("PUT a stream", 405, new Req("PUT", "/streams/target").auth().json("{}")));
    c.add(new Case("DELETE a stream", 405, new Req("DELETE", "/streams/target").auth()));
    c.add(new Case("PATCH a stream", 405, new Req("PATCH", "/streams/target").auth().json("{}")));
    c.add(
        new Case(
            "OPTIONS preflight",
            405,
            new Req("OPTIONS", "/streams/target")
                .h("Origin", "http://evil.example")
                .h("Access-Control-Request-Method", "POST")));
    c.add(new Case("POST to status", 405, post("/status").auth().json("{}")));
    c.add(new Case("POST records", 405, post("/streams/target/records").auth().json("{}")));
    c.add(new Case("unknown path", 404, get("/nope")));
    c.add(new Case("unknown stream sub-resource", 404, get("/streams/target/nope").auth()));
    c.add(new Case("TRACE", 405, new Req("TRACE", "/")));
    c.add(new Case("invented method", 405, new Req("FROBNICATE", "/streams/target").auth()));
    // DNS rebinding
    c.add(
        new Case(
            "foreign Host",
            421,
            post("/streams/target").h("Host", "evil.example").auth().json("{}").noHost()));
    c.add(
        new Case(
            "look-alike Host", 421, get("/health").h("Host", "127.0.0.1.evil.example").noHost()));
    // protocol
    c.add(new Case("garbage request line", 400, new Req("HELLO", "").version("")));
    c.add(new Case("HTTP/1.1 without Host", 400, get("/health").noHost()));
    c.add(new Case("unknown HTTP version", 505, get("/health").version("HTTP/7.0")));
    c.add(
        new Case(
            "bad Content-Length",
            400,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .h("Content-Length", "abc")
                .noLength()
                .body("{}")));
    c.add(
        new Case(
            "Content-Length and chunked together",
            400,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .h("Content-Length", "2")
                .h("Transfer-Encoding", "chunked")
                .noLength()
                .body("2\r\n{}\r\n0\r\n\r\n")));
    c.add(
        new Case(
            "broken chunked encoding",
            400,
            post("/streams/target")
                .auth()
                .h("Content-Type", "application/json")
                .h("Transfer-Encoding", "chunked")
                .noLength()
                .body("zz\r\n{}\r\n0\r\n\r\n")));
    return c;
  }

  static byte[] chunked(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < b.length; i += 8192) {
      int n = Math.min(8192, b.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(b, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Test
  void corpus_hasAtLeastFiftyKinds() {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(50);
    assertThat(corpus().stream().map(Case::name).distinct().count()).isEqualTo(corpus().size());
  }

  @TestFactory
  Stream<DynamicTest> eachBadRequest_isRefusedCleanly_andChangesNothing() {
    return corpus().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      Http.Reply r = http.raw(c.req().bytes(app.port()));
                      assertThat(r.status()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
                      assertThat(r.type()).as(c.name()).startsWith("application/json");
                      JsonNode j = r.json();
                      assertThat(j.get("status").asInt()).isEqualTo(c.status());
                      assertThat(j.get("message").asText()).as(c.name()).isNotBlank();
                      assertThat(r.body()).doesNotContain(".java:").doesNotContain("\\tat ");
                      assertThat(snapshot()).as("store after " + c.name()).isEqualTo(before);
                    }));
  }

  @Test
  void inventedMethods_doNotBecomeMetricLabels() {
    http.raw(new Req("FROBNICATE1", "/health").bytes(app.port()));
    http.raw(new Req("FROBNICATE2", "/health").bytes(app.port()));
    String metrics = http.get("/metrics", "Authorization", "Bearer " + TOKEN).body();
    assertThat(metrics).contains("method=\"OTHER\"").doesNotContain("FROBNICATE");
  }

  @Test
  void aGoodRequest_stillWorks_soTheCorpusTestsTheRefusals() {
    Http.Reply r = http.raw(post("/streams/probe-not-allowed").auth().json("{}").bytes(app.port()));
    assertThat(r.status()).isEqualTo(404);
    Http.Reply ok = http.raw(get("/streams/target/records?from=0&max=2").auth().bytes(app.port()));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("records")).hasSize(2);
  }
}
