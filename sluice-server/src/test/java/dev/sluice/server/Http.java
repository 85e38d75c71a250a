package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small HTTP client for tests: java.net.http for well-formed requests, a raw socket for bad ones.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A reply: status, content type and body. */
  record Reply(int status, String type, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  Http(URI base) {
    this.base = base;
  }

  Reply get(String path, String... headers) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
  }

  Reply post(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b, headers);
  }

  private Reply send(HttpRequest.Builder b, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r =
          client.send(
              b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends raw bytes over a fresh connection and reads the reply until the server closes it. */
  Reply raw(byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // the server may answer and close before it read everything (a body over the limit)
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          all.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // a reset after the reply was sent
      }
      return parse(all.toString(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reply parse(String text) {
    if (!text.startsWith("HTTP/1.1 ") && !text.startsWith("HTTP/1.0 ")) {
      throw new AssertionError("no HTTP reply: \"" + text + "\"");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    int split = text.indexOf("\r\n\r\n");
    String head = split < 0 ? text : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + 4);
    String type = "";
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        type = line.substring(13).trim();
      }
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      StringBuilder sb = new StringBuilder();
      int i = 0;
      while (i < body.length()) {
        int eol = body.indexOf("\r\n", i);
        int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
        if (size == 0) {
          break;
        }
        sb.append(body, eol + 2, eol + 2 + size);
        i = eol + 2 + size + 2;
      }
      body = sb.toString();
    }
    return new Reply(
        status,
        type,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }
}
