package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A live tail as Server-Sent Events: each record is an event whose id is its offset, so a client
 * that reconnects with {@code Last-Event-ID} resumes after the last record it saw.
 */
final class Tail {
  private static final long HEARTBEAT_NANOS = 15_000_000_000L;
  private static final int PAGE = 500;
  private final AppRuntime app;
  private final Semaphore slots;
  private final Object appended = new Object();

  Tail(AppRuntime app, int maxTails) {
    this.app = app;
    this.slots = new Semaphore(maxTails);
  }

  /** Wakes tails at once after an append through this server. */
  void wake() {
    synchronized (appended) {
      appended.notifyAll();
    }
  }

  void run(Request request, Response response, Callback callback, String name, long from, long max)
      throws InterruptedException {
    if (!slots.tryAcquire()) {
      throw new HttpError(503, "too many live tails are open; try again later");
    }
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      long next = from;
      long sent = 0;
      long lastWrite = System.nanoTime();
      write(response, ": tail of " + name + " from offset " + from + "\n\n");
      while (app.isOpen() && sent < max) {
        List<ObjectNode> page = app.view().read(name, next, (int) Math.min(PAGE, max - sent));
        if (page.isEmpty()) {
          if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
            write(response, ": keep-alive\n\n");
            lastWrite = System.nanoTime();
          }
          synchronized (appended) {
            appended.wait(100);
          }
          continue;
        }
        StringBuilder sb = new StringBuilder();
        for (ObjectNode r : page) {
          long offset = r.get("offset").asLong();
          sb.append("id: ").append(offset).append('\n');
          sb.append("event: record\n");
          sb.append("data: ").append(r.toString()).append("\n\n");
          next = offset + 1;
          sent++;
        }
        write(response, sb.toString());
        lastWrite = System.nanoTime();
      }
      Content.Sink.write(response, true, ByteBuffer.allocate(0));
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e); // the client went away
    } finally {
      slots.release();
    }
  }

  private static void write(Response response, String text) throws IOException {
    Content.Sink.write(response, false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }
}
