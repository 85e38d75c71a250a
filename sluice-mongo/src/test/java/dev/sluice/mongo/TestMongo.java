package dev.sluice.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.time.Duration;
import java.util.UUID;

/**
 * The MongoDB server the tests run against: mongo-java-server (which speaks MongoDB's wire
 * protocol) started in this JVM on 127.0.0.1 and a free port, or a real server when the system
 * property {@code sluice.mongo.url} names one ({@code -Dsluice.mongo.url=mongodb://host:27017}).
 */
final class TestMongo implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  private final MongoServer server;
  private final String url;

  private TestMongo(MongoServer server, String url) {
    this.server = server;
    this.url = url;
  }

  static TestMongo start() {
    String real = System.getProperty("sluice.mongo.url");
    if (real != null && !real.isBlank()) {
      return new TestMongo(null, real);
    }
    MongoServer s = new MongoServer(new MemoryBackend());
    s.enableOplog();
    s.bind("127.0.0.1", 0);
    var a = s.getLocalAddress();
    return new TestMongo(s, "mongodb://127.0.0.1:" + a.getPort());
  }

  String url() {
    return url;
  }

  /** A database name of its own for one test. */
  static String database() {
    return "sluice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** A condition that may throw. */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
    }
  }
}
