package dev.sluice.examples;

import dev.sluice.Delivery;
import dev.sluice.EventStream;
import dev.sluice.Retry;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Windows;
import java.time.Duration;
import java.util.List;

/** The README's consumer examples, compiled. Run with a store URL, e.g. {@code sqlite:./data}. */
public final class ConsumerExample {
  /** An order, stored as JSON. */
  public record Order(String id, int amount) {}

  /** The total of one window of orders. */
  public record Total(String window, int orders, int amount) {}

  private ConsumerExample() {}

  /** minibatch's {@code streaming('test', size=2)(lambda window: print(window.data))}. */
  static void minibatchStyle() {
    // README: consumer in two lines
    Sluice.stream("test").append(java.util.Map.of("date", java.time.Instant.now().toString()));
    Sluice.streaming("test").size(2).run(window -> System.out.println(window.data())); // blocks
  }

  /** Totals of orders, 100 at a time or every 5 s, into another stream, exactly once. */
  public static List<Total> billing(String url, int orderCount) throws InterruptedException {
    // README: consumers
    try (Store store = Sluice.open(url)) {
      EventStream<Order> orders = store.stream("orders", Order.class);
      EventStream<Total> totals = store.stream("totals", Total.class);
      try (StreamingJob job =
          store
              .streaming("orders", Order.class)
              .group("billing") // each group sees every record once
              .window(Windows.count(100).orAfter(Duration.ofSeconds(5)))
              .workers(4)
              .retry(Retry.times(5).backoff(Duration.ofMillis(100))) // then record by record
              .delivery(Delivery.EXACTLY_ONCE) // output and commit in one transaction
              .process(w -> new Total(w.id(), w.size(), sum(w.data())))
              .sink(Sinks.stream(totals))
              .start()) {
        for (int i = 0; i < orderCount; i++) {
          orders.append(new Order("o-" + i, i % 10));
        }
        while (orders.groups().get(0).committed() < orderCount) {
          Thread.sleep(10);
        }
      }
      return totals.read(0, 1_000).stream().map(r -> r.value()).toList();
    }
  }

  private static int sum(List<Order> orders) {
    return orders.stream().mapToInt(Order::amount).sum();
  }

  public static void main(String[] args) throws InterruptedException {
    List<Total> totals = billing(args.length > 0 ? args[0] : "sqlite:./sluice-data", 1_000);
    System.out.println(totals.size() + " windows: " + totals);
  }
}
