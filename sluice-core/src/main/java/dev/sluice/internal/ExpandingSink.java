package dev.sluice.internal;

import dev.sluice.spi.Sink;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes each element of an {@code Iterable} result as its own value of the sink it wraps; see
 * {@link dev.sluice.Sinks#expand}.
 */
public class ExpandingSink<E> implements Sink<Iterable<? extends E>> {
  private final Sink<? super E> inner;

  ExpandingSink(Sink<? super E> inner) {
    this.inner = Objects.requireNonNull(inner, "sink");
  }

  /** Wraps a sink. */
  public static <E> Sink<Iterable<? extends E>> of(Sink<? super E> sink) {
    return new ExpandingSink<>(sink);
  }

  /** Wraps a transactional sink, keeping it transactional. */
  public static <E> TransactionalSink<Iterable<? extends E>> of(TransactionalSink<? super E> sink) {
    return new Transactional<>(sink);
  }

  static <E> List<E> flatten(List<? extends Iterable<? extends E>> values) {
    List<E> out = new ArrayList<>();
    for (Iterable<? extends E> value : values) {
      if (value != null) {
        for (E e : value) {
          out.add(e);
        }
      }
    }
    return out;
  }

  @Override
  public void write(Iterable<? extends E> value) throws Exception {
    writeAll(List.of(value));
  }

  @Override
  public void writeAll(List<? extends Iterable<? extends E>> values) throws Exception {
    List<E> flat = flatten(values);
    if (!flat.isEmpty()) {
      inner.writeAll(flat);
    }
  }

  @Override
  public void close() throws Exception {
    inner.close();
  }

  @Override
  public String toString() {
    return "expand(" + inner + ")";
  }

  private static final class Transactional<E> extends ExpandingSink<E>
      implements TransactionalSink<Iterable<? extends E>> {
    private final TransactionalSink<? super E> inner;

    Transactional(TransactionalSink<? super E> inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    public String storeUrl() {
      return inner.storeUrl();
    }

    @Override
    public void write(StoreTransaction transaction, List<? extends Iterable<? extends E>> values)
        throws Exception {
      List<E> flat = flatten(values);
      if (!flat.isEmpty()) {
        inner.write(transaction, flat);
      }
    }
  }
}
