package dev.sluice.reliability;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.io.IOException;
import java.util.Map;

/**
 * Process B of the ping-pong test: consumes stream {@code ping} in windows of one record and
 * appends each record to stream {@code pong}, until its standard input closes. Argument: the url.
 */
public final class PongMain {
  private PongMain() {}

  public static void main(String[] args) throws Exception {
    try (Store store = Sluice.open(args[0])) {
      EventStream<Map<String, Object>> pong = store.stream("pong");
      try (StreamingJob job =
          store.streaming("ping").group("pong").size(1).start(w -> pong.append(w.data().get(0)))) {
        System.out.println("ready");
        try {
          while (System.in.read() >= 0) {
            // the parent closes our input to stop us
          }
        } catch (IOException e) {
          // treated as closed
        }
      }
    }
  }
}
