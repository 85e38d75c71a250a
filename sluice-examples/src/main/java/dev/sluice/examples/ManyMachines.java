package dev.sluice.examples;

import dev.sluice.Delivery;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Windows;
import dev.sluice.jdbc.JdbcSink;
import dev.sluice.spi.TransactionalSink;
import java.time.Duration;
import java.util.Map;

/**
 * The README's "Many machines" example and docs/POSTGRES.md's, compiled: producers and consumers on
 * any number of machines share streams and consumer groups through one PostgreSQL database. Run
 * with a store URL, e.g. {@code postgresql://db.example:5432/app?user=sluice}.
 */
public final class ManyMachines {
  /** An order, stored as JSON. */
  public record Order(String id, int amount) {}

  /** The total of one window of orders: one row of table {@code totals}. */
  public record Total(String window, int orders, int amount) {}

  private ManyMachines() {}

  /** On any machine: append orders. */
  public static void produce(String url, int count) {
    // README: many machines, producer
    try (Store store = Sluice.open(url)) { // postgresql://host:5432/db?user=…
      EventStream<Order> orders = store.stream("orders", Order.class);
      for (int i = 0; i < count; i++) {
        orders.append(new Order("o-" + i, i % 10));
      }
    }
  }

  /**
   * On any number of machines: the same group shares the work; each window's total becomes a row of
   * table {@code totals} in the same database, in the transaction that commits the window. Returns
   * the job; closing it stops this consumer.
   */
  public static StreamingJob consume(Store store) {
    // README: many machines, consumer
    TransactionalSink<Total> totals =
        JdbcSink.<Total>into("totals", "window_id", "orders", "amount")
            .create(
                "CREATE TABLE IF NOT EXISTS totals("
                    + "window_id text PRIMARY KEY, orders int, amount int)")
            .binder(
                (ps, t) -> {
                  ps.setString(1, t.window());
                  ps.setInt(2, t.orders());
                  ps.setInt(3, t.amount());
                })
            .toStore(store); // the store's own database: exactly-once
    return store
        .streaming("orders", Order.class)
        .group("billing")
        .window(Windows.count(100).orAfter(Duration.ofSeconds(5)))
        .workers(2)
        .delivery(Delivery.EXACTLY_ONCE)
        .process(w -> new Total(w.id(), w.size(), w.data().stream().mapToInt(Order::amount).sum()))
        .sink(totals)
        .start();
  }

  /** Produces {@code count} orders and consumes them; returns the group's committed offset. */
  public static long run(String url, int count) throws InterruptedException {
    produce(url, count);
    try (Store store = Sluice.open(url);
        StreamingJob job = consume(store)) {
      EventStream<Map<String, Object>> orders = store.stream("orders");
      while (orders.groups().get(0).committed() < count) {
        Thread.sleep(10);
      }
      return orders.groups().get(0).committed();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    System.out.println("committed " + run(args[0], 1_000));
  }
}
