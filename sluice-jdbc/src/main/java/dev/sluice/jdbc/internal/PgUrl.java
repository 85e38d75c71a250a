package dev.sluice.jdbc.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed PostgreSQL store URL: {@code postgresql://host[:port]/db?user=…&schema=…}, also written
 * {@code postgres://…} or {@code jdbc:postgresql://…}.
 *
 * <p>{@code schema} (default {@code sluice}) names the PostgreSQL schema holding the store's
 * tables, and {@code poolSize} (default 8) the connections of the pool; every other parameter goes
 * to the PostgreSQL JDBC driver as it is ({@code user}, {@code password}, {@code sslmode}, …). The
 * canonical form — the key under which one JVM shares one store — is {@code
 * postgresql://host:port/db?…} with the host in lower case, the port written out and the parameters
 * sorted.
 *
 * @param host the host, lower case
 * @param port the port
 * @param database the database name
 * @param schema the schema holding the store's tables
 * @param poolSize the most connections the store's pool opens
 * @param driverParams parameters passed to the driver, sorted
 */
record PgUrl(
    String host,
    int port,
    String database,
    String schema,
    int poolSize,
    Map<String, String> driverParams) {
  static final String DEFAULT_SCHEMA = "sluice";
  static final int DEFAULT_POOL_SIZE = 8;
  static final Set<String> SCHEMES = Set.of("postgresql", "postgres", "jdbc");

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,55}");
  private static final Pattern URL =
      Pattern.compile(
          "(?:jdbc:postgresql|postgresql|postgres)://(\\[[^\\]]+\\]|[^:/?]+)(?::(\\d{1,5}))?"
              + "/([^?/]+)(?:\\?(.*))?");
  private static final String FORM =
      "postgresql://host[:port]/database[?user=…&password=…&schema=…&poolSize=…]";

  /**
   * Parses a store URL.
   *
   * @throws IllegalArgumentException naming the expected form and the bad value
   */
  static PgUrl parse(String url) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "PostgreSQL store URL must be " + FORM + ": " + quote(mask(url)));
    }
    String host = m.group(1).toLowerCase(Locale.ROOT);
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "PostgreSQL port must be 1-65535: " + port + " in " + quote(mask(url)));
    }
    String database = decode(m.group(3));
    Map<String, String> params = new TreeMap<>();
    if (m.group(4) != null && !m.group(4).isEmpty()) {
      for (String pair : m.group(4).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (params.put(key, value) != null) {
          throw new IllegalArgumentException(
              "parameter " + key + " given twice in " + quote(mask(url)));
        }
      }
    }
    String schema = params.remove("schema");
    if (schema == null) {
      schema = DEFAULT_SCHEMA;
    }
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema must match [a-z_][a-z0-9_]{0,55} (a plain lower-case PostgreSQL name): "
              + quote(schema));
    }
    String pool = params.remove("poolSize");
    int poolSize = DEFAULT_POOL_SIZE;
    if (pool != null) {
      try {
        poolSize = Integer.parseInt(pool);
      } catch (NumberFormatException e) {
        poolSize = -1;
      }
      if (poolSize < 2 || poolSize > 1000) {
        throw new IllegalArgumentException("poolSize must be 2-1000: " + quote(pool));
      }
    }
    return new PgUrl(host, port, database, schema, poolSize, Map.copyOf(params));
  }

  /**
   * The canonical URL: equal for two URLs naming the same store. A password is left out (the
   * store's URL is shown in logs and messages); {@link #password} keeps it.
   */
  String canonical() {
    StringBuilder b = new StringBuilder("postgresql://").append(host).append(':').append(port);
    b.append('/').append(database).append("?schema=").append(schema);
    if (poolSize != DEFAULT_POOL_SIZE) {
      b.append("&poolSize=").append(poolSize);
    }
    new TreeMap<>(driverParams)
        .forEach(
            (k, v) -> {
              if (!k.equals("password")) {
                b.append('&').append(k).append('=').append(v);
              }
            });
    return b.toString();
  }

  /** The URL the JDBC driver connects to, without the store's own parameters. */
  String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The password given in the URL, or null. */
  String password() {
    return driverParams.get("password");
  }

  /** Replaces the value of a {@code password} parameter by {@code ***}. */
  static String mask(String url) {
    return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
