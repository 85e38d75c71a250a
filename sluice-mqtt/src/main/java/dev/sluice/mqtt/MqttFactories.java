package dev.sluice.mqtt;

import dev.sluice.Codecs;
import dev.sluice.config.ConfigException;
import dev.sluice.spi.Codec;
import dev.sluice.spi.ConnectorContext;
import dev.sluice.spi.ConnectorSettings;
import dev.sluice.spi.Sink;
import dev.sluice.spi.SinkFactory;
import dev.sluice.spi.Source;
import dev.sluice.spi.SourceFactory;
import java.time.Duration;

/** The {@code "mqtt"} type of configuration files, for sources and sinks. */
public final class MqttFactories {
  private MqttFactories() {}

  /**
   * {@code {"type": "mqtt", "url": "tcp://127.0.0.1:1883", "topics": ["sensors/#"], "qos": 1,
   * "clientId": "…", "cleanSession": false, "payload": "json|string|bytes", "envelope": true,
   * "backoff": "100ms", "maxBackoff": "30s", "username": "…", "password": "…"}}. The client id
   * defaults to {@code sluice-<stream>-<name>}, stable across restarts.
   */
  public static final class SourceType implements SourceFactory {
    @Override
    public String type() {
      return "mqtt";
    }

    @Override
    public Source<?> create(ConnectorSettings s, ConnectorContext context) {
      MqttSource.Builder b = MqttSource.builder(s.string("url"));
      if (s.strings("topics").isEmpty()) {
        throw new ConfigException(s.where() + ".topics is required (a topic filter or a list)");
      }
      b.topics(s.strings("topics").toArray(String[]::new));
      b.qos(qos(s));
      b.clientId(s.string("clientId", "sluice-" + context.stream() + "-" + context.name()));
      b.cleanSession(s.bool("cleanSession", false));
      b.backoff(
          s.duration("backoff", Duration.ofMillis(100)),
          s.duration("maxBackoff", Duration.ofSeconds(30)));
      s.optionalString("username").ifPresent(u -> b.credentials(u, s.string("password", null)));
      Codec<?> codec = codec(s);
      return s.bool("envelope", true) ? b.payloadCodec(codec).envelopes() : b.payloads(codec);
    }
  }

  /**
   * {@code {"type": "mqtt", "url": "tcp://127.0.0.1:1883", "topic": "results", "qos": 1, "retain":
   * false, "clientId": "…", "username": "…", "password": "…"}}.
   */
  public static final class SinkType implements SinkFactory {
    @Override
    public String type() {
      return "mqtt";
    }

    @Override
    public Sink<Object> create(ConnectorSettings s, ConnectorContext context) {
      MqttSink.Builder b =
          MqttSink.builder(s.string("url"))
              .topic(s.string("topic"))
              .qos(qos(s))
              .retain(s.bool("retain", false));
      s.optionalString("clientId").ifPresent(b::clientId);
      s.optionalString("username").ifPresent(u -> b.credentials(u, s.string("password", null)));
      return b.build();
    }
  }

  private static int qos(ConnectorSettings s) {
    int qos = s.integer("qos", 1);
    if (qos < 0 || qos > 2) {
      throw s.bad("qos", "0, 1 or 2", qos);
    }
    return qos;
  }

  private static Codec<?> codec(ConnectorSettings s) {
    String p = s.string("payload", "json");
    return switch (p) {
      case "json" -> Codecs.json(Object.class);
      case "string" -> Codecs.string();
      case "bytes" -> Codecs.bytes();
      default -> throw s.bad("payload", "\"json\", \"string\" or \"bytes\"", p);
    };
  }
}
