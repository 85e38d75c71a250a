package dev.sluice.internal.sqlite;

import dev.sluice.StoreOptions;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/** {@code sqlite:PATH}: the embedded store, one SQLite database in the directory PATH. */
public final class SqliteStoreProvider implements StoreProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("sqlite");
  }

  @Override
  public String canonicalUrl(String url) {
    String path = url.substring("sqlite:".length());
    if (path.startsWith("//")) {
      path = path.substring(2);
    }
    if (path.isBlank()) {
      throw new IllegalArgumentException(
          "sqlite store URL must name a directory, as sqlite:PATH: " + Names.quote(url));
    }
    Path dir;
    try {
      dir = Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a valid path in " + Names.quote(url), e);
    }
    if (Files.exists(dir)) {
      try {
        dir = dir.toRealPath();
      } catch (IOException e) {
        // Keep the normalized path; opening will report what is wrong with it.
      }
    }
    return "sqlite:" + dir;
  }

  @Override
  public StoreBackend open(String canonicalUrl, StoreOptions options) {
    return SqliteBackend.open(Path.of(canonicalUrl.substring("sqlite:".length())), options);
  }
}
