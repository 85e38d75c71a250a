package dev.sluice.pipeline;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/** A read-only list over the first {@code size} slots of an array; how outputs are delivered. */
final class Slice extends AbstractList<Object> implements RandomAccess {
  private final Object[] items;
  private final int size;

  Slice(Object[] items, int size) {
    this.items = items;
    this.size = size;
  }

  @Override
  public Object get(int index) {
    return items[Objects.checkIndex(index, size)];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(items, size, Object[].class);
  }
}
