package dev.sluice.kafka.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A parsed {@code kafka://host:port[,host:port][?option=value&...]} URL.
 *
 * <p>Options Sluice reads: {@code partitions} and {@code replication} of topics it creates, {@code
 * prefix} (topics of this store are {@code <prefix><stream>}). Every other option is a Kafka client
 * config: {@code producer.X}, {@code consumer.X} and {@code admin.X} reach one client, anything
 * else all of them.
 */
record KafkaUrl(
    String bootstrapServers,
    int partitions,
    short replication,
    String prefix,
    Map<String, String> clientConfigs) {
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,40}");

  static KafkaUrl parse(String url) {
    if (!url.startsWith("kafka://")) {
      throw new IllegalArgumentException(
          "a Kafka store URL starts with kafka://, got \"" + url + "\"");
    }
    String rest = url.substring("kafka://".length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(
          "a Kafka store URL must be kafka://host:port[,host:port]: \"" + url + "\"");
    }
    for (String hostPort : rest.split(",")) {
      if (!HOST_PORT.matcher(hostPort).matches()) {
        throw new IllegalArgumentException(
            "a Kafka store URL must be kafka://host:port[,host:port], \""
                + hostPort
                + "\" is not host:port in \""
                + url
                + "\"");
      }
    }
    int partitions = 1;
    short replication = -1;
    String prefix = "";
    Map<String, String> configs = new TreeMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "Kafka store URL options are key=value pairs joined by &, got \"" + pair + "\"");
        }
        String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (key) {
          case "partitions" -> partitions = positive(key, value, url);
          case "replication" -> replication = (short) positive(key, value, url);
          case "prefix" -> {
            if (!PREFIX.matcher(value).matches()) {
              throw new IllegalArgumentException(
                  "the Kafka store option prefix must match [A-Za-z0-9._-]{0,40}: \""
                      + value
                      + "\"");
            }
            prefix = value;
          }
          default -> configs.put(key, value);
        }
      }
    }
    return new KafkaUrl(rest, partitions, replication, prefix, configs);
  }

  private static int positive(String key, String value, String url) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "the Kafka store option "
            + key
            + " must be a whole number >= 1: \""
            + value
            + "\" in "
            + url);
  }

  /** The URL with its options in a stable order: equal for two URLs naming the same store. */
  String canonical() {
    StringBuilder b = new StringBuilder("kafka://").append(bootstrapServers);
    Map<String, String> all = new TreeMap<>(clientConfigs);
    if (partitions != 1) {
      all.put("partitions", Integer.toString(partitions));
    }
    if (replication != -1) {
      all.put("replication", Short.toString(replication));
    }
    if (!prefix.isEmpty()) {
      all.put("prefix", prefix);
    }
    char sep = '?';
    for (Map.Entry<String, String> e : all.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return b.toString();
  }

  /** The configs of one client: shared ones, then those with the client's prefix. */
  Map<String, Object> configsFor(String client) {
    Map<String, Object> out = new HashMap<>();
    String own = client + ".";
    for (Map.Entry<String, String> e : clientConfigs.entrySet()) {
      String k = e.getKey();
      boolean forSomeClient =
          k.startsWith("producer.") || k.startsWith("consumer.") || k.startsWith("admin.");
      if (!forSomeClient) {
        out.put(k, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : clientConfigs.entrySet()) {
      if (e.getKey().startsWith(own)) {
        out.put(e.getKey().substring(own.length()), e.getValue());
      }
    }
    out.put("bootstrap.servers", bootstrapServers);
    return out;
  }
}
