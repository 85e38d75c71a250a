package dev.sluice.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.Codecs;
import dev.sluice.Delivery;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Windows;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A consumer process for the kill -9 tests: {@code URL STREAM GROUP MODE OUT}. Mode {@code file}
 * appends each window's values to OUT (forced to disk) before the window commits; mode {@code
 * exactly} sends each window's values to the stream OUT of the store with {@code EXACTLY_ONCE}.
 * Runs until killed; prints "ready" once started.
 */
public final class ConsumerChildMain {
  private ConsumerChildMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String stream = args[1];
    String group = args[2];
    String mode = args[3];
    String out = args[4];
    Store store = Sluice.open(url);
    StreamingJob job;
    if (mode.equals("file")) {
      FileChannel file =
          FileChannel.open(
              Path.of(out),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      job =
          store
              .streaming(stream)
              .group(group)
              .window(Windows.count(10).orAfter(Duration.ofMillis(300)))
              .start(
                  w -> {
                    StringBuilder b = new StringBuilder();
                    for (Map<String, Object> v : w.data()) {
                      b.append(v.get("n")).append('\n');
                    }
                    file.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
                    file.force(false);
                    Thread.sleep(20);
                  });
    } else {
      job =
          store
              .streaming(stream)
              .group(group)
              .window(Windows.count(10).orAfter(Duration.ofMillis(300)))
              .delivery(Delivery.EXACTLY_ONCE)
              .process(
                  w -> {
                    Thread.sleep(20);
                    return w.data().stream().map(v -> v.get("n")).toList();
                  })
              .sink(
                  Sinks.stream(
                      store.stream(out, Codecs.json(new TypeReference<List<Object>>() {}))))
              .start();
    }
    System.out.println("ready");
    System.out.flush();
    job.awaitTermination();
  }
}
