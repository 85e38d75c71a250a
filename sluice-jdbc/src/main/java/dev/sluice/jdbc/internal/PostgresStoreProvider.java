package dev.sluice.jdbc.internal;

import dev.sluice.StoreOptions;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code postgresql://host[:port]/db?user=…&schema=…} (also {@code postgres://…} and {@code
 * jdbc:postgresql://…}): the PostgreSQL store, shared by processes on many machines.
 *
 * <p>A password may be given as the {@code password} parameter, in {@code PGPASSWORD}, or in the
 * driver's {@code ~/.pgpass}; it is kept out of the store's URL, which logs and messages show.
 */
public final class PostgresStoreProvider implements StoreProvider {
  /** Passwords given in URLs, by the canonical URL they were left out of. */
  private static final Map<String, String> PASSWORDS = new ConcurrentHashMap<>();

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public PostgresStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return PgUrl.SCHEMES;
  }

  @Override
  public String canonicalUrl(String url) {
    PgUrl parsed = PgUrl.parse(url);
    String canonical = parsed.canonical();
    if (parsed.password() != null) {
      PASSWORDS.put(canonical, parsed.password());
    }
    return canonical;
  }

  @Override
  public StoreBackend open(String canonicalUrl, StoreOptions options) {
    String password = PASSWORDS.get(canonicalUrl);
    if (password == null) {
      password = System.getenv("PGPASSWORD");
    }
    return PgBackend.open(canonicalUrl, password, options);
  }
}
