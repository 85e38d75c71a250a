package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Debian's Mosquitto: our source reads what {@code mosquitto_pub} publishes, our sink
 * publishes what {@code mosquitto_sub} reads, through a {@code mosquitto} broker this test starts
 * on a free loopback port. Fails, saying how to install them, when the binaries are missing.
 */
class MosquittoInteropTest {
  @TempDir static Path dir;
  private static Mosquitto broker;

  static String binary(String name) {
    return Mosquitto.binary(name);
  }

  @BeforeAll
  static void startMosquitto() throws Exception {
    broker = Mosquitto.start(dir, false);
  }

  @AfterAll
  static void stopMosquitto() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static String url() {
    return broker.url();
  }

  private static void mosquittoPub(String topic, String message) throws Exception {
    run(
        new String[] {
          binary("mosquitto_pub"),
          "-h",
          "127.0.0.1",
          "-p",
          Integer.toString(broker.port()),
          "-q",
          "1",
          "-t",
          topic,
          "-m",
          message
        });
  }

  @Test
  void theSourceStoresWhatMosquittoPubPublishesAndDeadLettersWhatItCannotRead() throws Exception {
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("interop");
      MqttSource<Map<String, Object>> source =
          MqttSource.builder(url())
              .topics("interop/in/#")
              .qos(1)
              .clientId("interop-in")
              .envelopes();
      try (EventStream.Attachment a = s.attach(source)) {
        Clients.awaitSubscribed(() -> mosquittoPub("interop/in/probe", "0"), s);
        mosquittoPub("interop/in/1", "{\"n\":1}");
        mosquittoPub("interop/in/2", "not json");
        mosquittoPub("interop/in/3", "{\"n\":3}");
        await("2 records", () -> MqttSourceTest.withoutProbes(s).size() == 2);
        await("1 dead letter", () -> a.deadLettered() == 1);
      }
      assertThat(MqttSourceTest.withoutProbes(s))
          .containsExactly(
              Map.of("topic", "interop/in/1", "payload", Map.of("n", 1), "qos", 1, "retain", false),
              Map.of(
                  "topic", "interop/in/3", "payload", Map.of("n", 3), "qos", 1, "retain", false));
      Map<String, Object> letter = store.deadLetters("interop").read(0, 1).get(0).value();
      assertThat(letter.get("position").toString()).contains("topic=interop/in/2");
    }
  }

  @Test
  void mosquittoSubReceivesEachElementTheSinkPublishes() throws Exception {
    // a persistent session for mosquitto_sub first (-E: exit once subscribed), so it is sent
    // what was published meanwhile when it connects again
    String[] session = {
      binary("mosquitto_sub"),
      "-h",
      "127.0.0.1",
      "-p",
      Integer.toString(broker.port()),
      "-q",
      "1",
      "-c",
      "-i",
      "interop-sub",
      "-t",
      "interop/out"
    };
    assertThat(run(session, "-E")).isEmpty();
    try (MqttSink sink = MqttSink.builder(url()).topic("interop/out").qos(1).build()) {
      Sinks.<Object>expand(sink).write(List.of(Map.of("a", 1), Map.of("a", 2), "three"));
    }
    assertThat(run(session, "-C", "3", "-v"))
        .containsExactly("interop/out {\"a\":1}", "interop/out {\"a\":2}", "interop/out \"three\"");
  }

  private static List<String> run(String[] command, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(more));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }
}
