package dev.sluice.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The dashboard's page, script and style, read once from the jar: no CDN, nothing fetched. */
final class Dashboard {
  private static final String BASE = "/dev/sluice/server/dashboard/";
  private final Front.Reply page;
  private final Map<String, Front.Reply> assets;

  Dashboard() {
    page = new Front.Reply(200, "text/html; charset=utf-8", load("index.html"));
    assets =
        Map.of(
            "app.js", new Front.Reply(200, "text/javascript; charset=utf-8", load("app.js")),
            "app.css", new Front.Reply(200, "text/css; charset=utf-8", load("app.css")));
  }

  Front.Reply page() {
    return page;
  }

  Front.Reply asset(String name) {
    Front.Reply r = assets.get(name);
    if (r == null) {
      throw new HttpError(404, "no such dashboard file: \"" + Ingest.shorten(name) + "\"");
    }
    return r;
  }

  private static byte[] load(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + BASE + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
