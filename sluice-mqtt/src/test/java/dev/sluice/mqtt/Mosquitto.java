package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} broker, started by a test on a free loopback port, stopped with
 * SIGTERM (so it saves its persistence file) and restartable on the same port.
 */
final class Mosquitto implements AutoCloseable {
  private final Path conf;
  private final Path log;
  private final int port;
  private Process process;

  private Mosquitto(Path conf, Path log, int port) {
    this.conf = conf;
    this.log = log;
    this.port = port;
  }

  /** The path of a Debian binary; fails saying how to install it when missing. */
  static String binary(String name) {
    String path = System.getenv("PATH") + File.pathSeparator + "/usr/sbin:/usr/bin";
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(
        name
            + " is not installed; this test drives Debian's Mosquitto. Install it with"
            + " `sudo apt-get install mosquitto mosquitto-clients` (scripts/test.sh does this when"
            + " run as root)");
  }

  /** Starts mosquitto in {@code dir}; with its persistence file there when {@code persistent}. */
  static Mosquitto start(Path dir, boolean persistent) throws Exception {
    binary("mosquitto_pub");
    binary("mosquitto_sub");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    // run as this user: started as root, mosquitto would switch to "mosquitto" and could not write
    String text =
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\nuser "
            + System.getProperty("user.name")
            + "\n";
    text +=
        persistent
            ? "persistence true\npersistence_location " + dir.toAbsolutePath() + "/\n"
            : "persistence false\n";
    Path conf = Files.writeString(dir.resolve("mosquitto.conf"), text);
    Mosquitto m = new Mosquitto(conf, dir.resolve("mosquitto.log"), port);
    m.startAgain();
    return m;
  }

  void startAgain() throws Exception {
    process =
        new ProcessBuilder(binary("mosquitto"), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    await(
        "mosquitto listening on " + port,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("mosquitto exited: " + Files.readString(log));
          }
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** Stops it with SIGTERM and waits. */
  void stop() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  void restart() throws Exception {
    stop();
    startAgain();
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
