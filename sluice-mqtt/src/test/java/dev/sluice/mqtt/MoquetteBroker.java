package dev.sluice.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MQTT broker (Moquette) inside the test JVM on 127.0.0.1; restartable on the same port,
 * with its persistence in a directory when one is given. Counts connections per client id.
 */
final class MoquetteBroker implements AutoCloseable {
  private final Path data;
  private final ConcurrentHashMap<String, AtomicInteger> connects = new ConcurrentHashMap<>();
  private Server server;
  private int port;

  private MoquetteBroker(Path data) {
    this.data = data;
  }

  /** Starts a broker on a free port; persistent when {@code data} is not null. */
  static MoquetteBroker start(Path data) throws Exception {
    MoquetteBroker b = new MoquetteBroker(data);
    int port;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // Moquette does not report a port it chose itself
    }
    b.startOn(port);
    return b;
  }

  private void startOn(int requested) throws Exception {
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", Integer.toString(requested));
    p.setProperty("allow_anonymous", "true");
    p.setProperty("telemetry_enabled", "false");
    p.setProperty("persistence_enabled", Boolean.toString(data != null));
    if (data != null) {
      p.setProperty("data_path", data.toString());
    }
    Server s = new Server();
    s.startServer(
        new MemoryConfig(p),
        List.of(
            new AbstractInterceptHandler() {
              @Override
              public String getID() {
                return "connect-counter";
              }

              @Override
              public void onConnect(InterceptConnectMessage msg) {
                connects
                    .computeIfAbsent(msg.getClientID(), k -> new AtomicInteger())
                    .incrementAndGet();
              }

              @Override
              public void onSessionLoopError(Throwable error) {}
            }));
    server = s;
    port = requested;
  }

  /** Stops the broker and starts it again on the same port. */
  void restart() throws Exception {
    server.stopServer();
    startOn(port);
  }

  void stop() {
    server.stopServer();
  }

  void startAgain() throws Exception {
    startOn(port);
  }

  Server server() {
    return server;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  int connects(String clientId) {
    AtomicInteger n = connects.get(clientId);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
