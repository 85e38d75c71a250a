package dev.sluice.internal;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.Streaming;
import dev.sluice.internal.base.Names;
import dev.sluice.internal.consumer.DeadLetters;
import java.util.Objects;

/**
 * Access to a stream's dead-letter stream ({@code <stream>.dlq}), whose name users may not open
 * through {@link Store#stream}: for {@code sluice dlq list} and {@code sluice dlq replay}.
 */
public final class DeadLetterStreams {
  private DeadLetterStreams() {}

  /**
   * The dead-letter stream of {@code stream}, as raw JSON bytes. Does not create it; check {@link
   * Store#metadata} first.
   *
   * @throws IllegalArgumentException if {@code stream} breaks the naming rule, or the store is not
   *     a Sluice store
   */
  public static EventStream<byte[]> of(Store store, String stream) {
    return new DefaultEventStream<>(handle(store), name(stream), Codecs.bytes());
  }

  /** A consumer of the dead-letter stream of {@code stream}, as raw JSON bytes. */
  public static Streaming<byte[]> streaming(Store store, String stream) {
    StoreHandle handle = handle(store);
    return new DefaultStreaming<>(
        handle, new DefaultEventStream<>(handle, name(stream), Codecs.bytes()));
  }

  /** The name of the dead-letter stream of {@code stream}, once {@code stream} is checked. */
  public static String name(String stream) {
    return DeadLetters.streamOf(Names.checkStream(stream));
  }

  private static StoreHandle handle(Store store) {
    Objects.requireNonNull(store, "store");
    if (!(store instanceof StoreHandle h)) {
      throw new IllegalArgumentException("not a Sluice store: " + store);
    }
    return h;
  }
}
