package dev.sluice.internal.mem;

import dev.sluice.StoreOptions;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreProvider;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code mem:} is a fresh in-memory store; {@code mem:NAME} is shared by name while open. */
public final class MemStoreProvider implements StoreProvider {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public String canonicalUrl(String url) {
    String name = url.substring("mem:".length());
    if (name.isEmpty()) {
      return "mem:anonymous-" + UUID.randomUUID();
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "in-memory store name must match [A-Za-z0-9._-]{1,200}: " + Names.quote(name));
    }
    return url;
  }

  @Override
  public StoreBackend open(String canonicalUrl, StoreOptions options) {
    return new MemBackend(canonicalUrl, options.clock(), options.scheduler());
  }
}
