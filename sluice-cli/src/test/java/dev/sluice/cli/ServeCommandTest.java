package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice serve} on a store: it answers over HTTP, ingests, and stops when interrupted. */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void serve_answersIngestsAndStops() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "serve-test-token-0123\n");
    PipedWriter pipe = new PipedWriter();
    BufferedReader lines = new BufferedReader(new PipedReader(pipe));
    StringWriter err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    String url = "sqlite:" + dir.resolve("store");
    Thread server =
        new Thread(
            () ->
                status.set(
                    Main.run(
                        new String[] {
                          "serve", "--store", url, "--port", "0", "--token-file", token.toString()
                        },
                        new PrintWriter(pipe, true),
                        new PrintWriter(err, true))));
    server.start();
    String banner = lines.readLine();
    assertThat(banner).as(err.toString()).startsWith("serving sqlite:");
    URI base = URI.create(banner.substring(banner.indexOf(" at ") + 4, banner.indexOf(" (")));

    HttpClient http = HttpClient.newHttpClient();
    assertThat(send(http, HttpRequest.newBuilder(base.resolve("/health")).build()).statusCode())
        .isEqualTo(200);
    HttpRequest unauthorized =
        HttpRequest.newBuilder(base.resolve("/streams/cli"))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}\n{\"a\":2}\n"))
            .build();
    assertThat(send(http, unauthorized).statusCode()).isEqualTo(401);
    HttpRequest post =
        HttpRequest.newBuilder(base.resolve("/streams/cli"))
            .header("Content-Type", "application/x-ndjson")
            .header("Authorization", "Bearer serve-test-token-0123")
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}\n{\"a\":2}\n"))
            .build();
    HttpResponse<String> r = send(http, post);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"count\":2");

    server.interrupt();
    server.join(10_000);
    assertThat(server.isAlive()).isFalse();
    assertThat(status.get()).isZero();
    try (Store store = Sluice.open(url)) {
      assertThat(store.metadata("cli").orElseThrow().recordCount()).isEqualTo(2);
    }
  }

  @Test
  void serve_refusesARemoteHostWithoutAToken() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new String[] {
              "serve", "--store", "sqlite:" + dir.resolve("s"), "--host", "0.0.0.0", "--port", "0"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("a token is required");
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request)
      throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
