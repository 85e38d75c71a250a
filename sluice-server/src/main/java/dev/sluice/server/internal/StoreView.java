package dev.sluice.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Record;
import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Everything the server asks of the store, in one place: streams, metadata, groups, dead letters,
 * reads and appends, through the public API only.
 */
final class StoreView {
  static final String DLQ = ".dlq";
  private final Store store;
  private final Map<String, EventStream<byte[]>> handles = new ConcurrentHashMap<>();

  StoreView(Store store) {
    this.store = store;
  }

  Store store() {
    return store;
  }

  List<String> streams() {
    return store.streams();
  }

  Optional<StreamMetadata> metadata(String name) {
    return store.metadata(name);
  }

  static boolean isDeadLetters(String name) {
    return name.endsWith(DLQ);
  }

  static String baseOf(String deadLetters) {
    return deadLetters.substring(0, deadLetters.length() - DLQ.length());
  }

  List<GroupMetadata> groups(String name) {
    if (isDeadLetters(name)) {
      return store.deadLetters(baseOf(name)).groups();
    }
    return handle(name).groups();
  }

  /** Dead letters from the dead-letter stream {@code name} ({@code <stream>.dlq}). */
  List<Record<Map<String, Object>>> deadLetters(String name, long from, int max) {
    return store.deadLetters(baseOf(name)).read(from, max);
  }

  /** The stream's records as JSON; a value that is not JSON is given as {@code valueBase64}. */
  List<ObjectNode> read(String name, long from, int max) {
    List<ObjectNode> out = new ArrayList<>();
    if (isDeadLetters(name)) {
      for (Record<?> r : store.deadLetters(baseOf(name)).read(from, max)) {
        out.add(record(r, Json.MAPPER.valueToTree(r.value()), null));
      }
      return out;
    }
    for (Record<byte[]> r : handle(name).read(from, max)) {
      JsonNode value = Json.parseOrNull(r.value());
      out.add(record(r, value, value == null ? r.value() : null));
    }
    return out;
  }

  private static ObjectNode record(Record<?> r, JsonNode value, byte[] raw) {
    ObjectNode o = Json.object();
    o.put("offset", r.offset());
    o.put("partition", r.partition());
    o.put("timestamp", r.timestamp().toString());
    if (r.key() != null) {
      o.put("key", r.key());
    }
    if (raw != null) {
      o.put("valueBase64", Base64.getEncoder().encodeToString(raw));
    } else {
      o.set("value", value);
    }
    return o;
  }

  /** The stream to append encoded JSON to; creates it if absent. */
  EventStream<byte[]> writable(String name) {
    return handle(name);
  }

  /**
   * A handle kept per stream: asking the store for a stream creates it when absent, so reads and
   * group look-ups go through a handle got once, while the stream existed, and never bring back a
   * stream dropped meanwhile.
   */
  private EventStream<byte[]> handle(String name) {
    return handles.computeIfAbsent(name, n -> store.stream(n, Codecs.bytes()));
  }

  /** Forgets the handles of streams that are gone. */
  void retain(Collection<String> names) {
    handles.keySet().retainAll(names);
  }

  /**
   * The bytes the store occupies on disk when its URL names a local directory ({@code sqlite:}),
   * else -1. The public API has no size yet, so this is the one place that reads the URL.
   */
  long sizeBytes() {
    String url = store.url();
    if (!url.startsWith("sqlite:")) {
      return -1;
    }
    Path dir = Path.of(url.substring("sqlite:".length()));
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
