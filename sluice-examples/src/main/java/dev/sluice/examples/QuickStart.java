package dev.sluice.examples;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The README's stream examples, compiled. Run with a store URL, e.g. {@code sqlite:./data}. */
public final class QuickStart {
  /** An order, stored as JSON. */
  public record Order(String id, int amount) {}

  private QuickStart() {}

  /** Two lines on the default store ({@code SLUICE_URL}, else {@code sqlite:./sluice-data}). */
  static void defaultStore() {
    // README: two lines
    var stream = Sluice.stream("test");
    stream.append(Map.of("date", Instant.now().toString()));
  }

  /** Typed streams on an explicit store; returns the first page read back. */
  public static List<Record<Order>> typedStreams(String url) {
    // README: streams
    try (Store store = Sluice.open(url)) { // or "mem:" for tests
      EventStream<Order> orders = store.stream("orders", Order.class); // JSON via Jackson
      long offset = orders.append(new Order("o-1", 42)); // durable when it returns
      orders.appendAll(List.of(new Order("o-2", 7), new Order("o-3", 9))); // atomic: all or none
      orders.appendAsync(new Order("o-4", 1)).join(); // bounded number in flight
      List<Record<Order>> page = orders.read(offset, 100); // offset, timestamp, key, value
      StreamMetadata meta = orders.metadata();
      System.out.println(meta.recordCount() + " orders, last at offset " + meta.lastOffset());
      return page;
    }
  }

  public static void main(String[] args) {
    typedStreams(args.length > 0 ? args[0] : "sqlite:./sluice-data");
  }
}
