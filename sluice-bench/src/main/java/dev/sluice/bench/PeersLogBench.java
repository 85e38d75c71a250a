package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Persisted append and consume on one machine, Sluice against its peers in the same process and run
 * (issue 18 item 3): Sluice on SQLite, Chronicle Queue and an embedded ActiveMQ Artemis broker,
 * each doing ConsumerBench's end-to-end work.
 *
 * <p>Each run: a producer thread appends {@code records} of the same ~100-byte JSON objects (each
 * {@code Map} encoded with Jackson on append) in batches of 1,000 while one consumer thread reads
 * them concurrently (decoding each with Jackson, summing the {@code id} field, checked) and commits
 * its position once per 1,000; timed from the first append to the commit of the last record.
 *
 * <ul>
 *   <li><b>Sluice</b>: {@code appendAll} of 1,000, a {@code size(1000)} group job (ConsumerBench's
 *       own code); the group's committed offset is the commit.
 *   <li><b>Chronicle Queue</b>: one excerpt per record written by an appender; a named tailer
 *       (whose read index the queue persists) reads them. No groups, claims or redelivery.
 *   <li><b>Artemis</b>: an embedded broker, in-VM acceptor, persistent NIO journal in a temporary
 *       directory, one durable anycast queue; durable messages sent in a transacted session
 *       committed every 1,000; a transacted consumer acknowledging every message and committing
 *       every 1,000.
 * </ul>
 *
 * <p>Durability is stated per row: "process crash" rows return before the data reaches the disk
 * (SQLite WAL with {@code synchronous=NORMAL}, Chronicle's memory-mapped files, Artemis with
 * journal sync off); "power loss" rows fsync every commit (Sluice {@code SyncMode.FULL}, Artemis's
 * default journal sync). Chronicle Queue offers no per-append sync.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar peers-log [rounds=5]
 * [records=300000] [warm-up records=100000]}. Every round runs every peer once, each in a fresh
 * directory (opened and closed outside the timing), in an order rotated every round; round 0 is
 * warm-up; the figure is the median of the measured rounds.
 */
public final class PeersLogBench {
  /**
   * The JVM flags Chronicle Queue needs on JDK 17; the bench jar's manifest carries them as {@code
   * Add-Opens}/{@code Add-Exports}, a {@code java -cp} launch must pass them.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED");

  static final int BATCH = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq", "error");
    System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.dev.sluice", "warn");
    System.setProperty("chronicle.analytics.disable", "true");
    System.setProperty("chronicle.announcer.disable", "true");
  }

  /** One peer: a name, what a returned append survives, and one end-to-end run in a directory. */
  interface Peer {
    String name();

    String durability();

    ConsumerBench.Result run(Path dir, List<Map<String, Object>> payloads, int records)
        throws Exception;
  }

  private PeersLogBench() {}

  /** The peers in table order: Sluice NORMAL first, the row every ratio is taken against. */
  static List<Peer> peers() {
    return List.of(
        sluice(SyncMode.NORMAL), chronicle(), artemis(false), sluice(SyncMode.FULL), artemis(true));
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    if (records % BATCH != 0 || warmup % BATCH != 0) {
      throw new IllegalArgumentException(
          "records and warm-up records must be multiples of "
              + BATCH
              + "; got "
              + records
              + " and "
              + warmup);
    }
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      payloads.add(ConsumerBench.payload(i));
    }
    double avg = 0;
    for (Map<String, Object> p : payloads) {
      avg += JSON.writeValueAsBytes(p).length / (double) BATCH;
    }
    System.out.printf(
        Locale.ROOT,
        "peers-log: persisted append + consume on one machine; %,d records per run, payload"
            + " %.0f-byte JSON objects (%d distinct, Jackson-encoded on append, decoded on read),"
            + " producer: 1 thread, batches of %,d; consumer: 1 thread, commits every %,d;"
            + " 1 warm-up round of %,d records + median of %d rounds, order rotated per round%n",
        records,
        avg,
        BATCH,
        BATCH,
        BATCH,
        warmup,
        rounds);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    String loadBefore = Measure.load();
    System.out.println("load before: " + loadBefore);

    List<Peer> order = new ArrayList<>(peers());
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (Peer p : peers()) {
      rates.put(p.name(), new ArrayList<>());
    }
    for (int round = 0; round <= rounds; round++) {
      int n = round == 0 ? warmup : records;
      for (Peer peer : order) {
        Path dir = Files.createTempDirectory("sluice-peers-log");
        try {
          System.gc();
          ConsumerBench.Result r = peer.run(dir, payloads, n);
          System.out.printf(
              Locale.ROOT,
              "round %d of %d%s: %s: %s/s; %s; load %s%n",
              round,
              rounds,
              round == 0 ? " (warm-up)" : "",
              peer.name(),
              Measure.rate(r.rate()),
              r.note(),
              Measure.load());
          if (round > 0) {
            rates.get(peer.name()).add(r.rate());
          }
        } finally {
          delete(dir);
        }
      }
      Collections.rotate(order, 1);
    }
    System.out.println();
    System.out.println("load before: " + loadBefore + "; after: " + Measure.load());
    report(rates);
  }

  private static void report(Map<String, List<Double>> rates) {
    Map<String, String> durability = new LinkedHashMap<>();
    for (Peer p : peers()) {
      durability.put(p.name(), p.durability());
    }
    double sluice = Measure.median(rates.values().iterator().next());
    List<Double> sluiceRuns = rates.values().iterator().next();
    System.out.println(
        "| peer | durability of a returned append | records/s end to end (median) |"
            + " Sluice NORMAL / peer, ratio of medians | median of per-round ratios |"
            + " runs (records/s) |");
    System.out.println("|---|---|---:|---:|---:|---|");
    Map<String, Double> bars = new LinkedHashMap<>();
    for (var e : rates.entrySet()) {
      double m = Measure.median(e.getValue());
      List<Double> paired = new ArrayList<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        paired.add(sluiceRuns.get(i) / e.getValue().get(i));
      }
      bars.put(e.getKey(), Math.round(m / 1000.0) * 1.0);
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.2f | %.2f | %s |%n",
          e.getKey(),
          durability.get(e.getKey()),
          Measure.rate(m),
          sluice / m,
          Measure.median(paired),
          String.join(" ", e.getValue().stream().map(Measure::rate).toList()));
    }
    List<String> names = new ArrayList<>(rates.keySet());
    double full = Measure.median(rates.get(names.get(3)));
    System.out.printf(
        Locale.ROOT,
        "Sluice NORMAL / Artemis journal sync off: %.2f; Sluice FULL / Artemis journal sync on:"
            + " %.2f (target: ahead of Artemis, > 1); Sluice NORMAL / Chronicle Queue: %.2f%n",
        sluice / Measure.median(rates.get(names.get(2))),
        full / Measure.median(rates.get(names.get(4))),
        sluice / Measure.median(rates.get(names.get(1))));
    Charts.bars(
        "peers-log",
        "Persisted append + consume, end to end (thousand records/s, median)",
        "thousand records/s",
        bars);
  }

  static Peer sluice(SyncMode sync) {
    return new Peer() {
      @Override
      public String name() {
        return "Sluice (SQLite) " + sync;
      }

      @Override
      public String durability() {
        return sync == SyncMode.FULL
            ? "power loss: fsync per commit (SQLite WAL, synchronous=FULL)"
            : "process crash: in the WAL file, no fsync (SQLite WAL, synchronous=NORMAL)";
      }

      @Override
      public ConsumerBench.Result run(Path dir, List<Map<String, Object>> payloads, int records)
          throws Exception {
        try (Store store =
            Sluice.open("sqlite:" + dir.resolve("store"), StoreOptions.defaults().sync(sync))) {
          return ConsumerBench.endToEnd(store, "peers", payloads, records);
        }
      }
    };
  }

  static Peer chronicle() {
    return new Peer() {
      @Override
      public String name() {
        return "Chronicle Queue " + version("chronicle-queue");
      }

      @Override
      public String durability() {
        return "process crash: memory-mapped files, no sync (Chronicle offers none per append)";
      }

      @Override
      public ConsumerBench.Result run(Path dir, List<Map<String, Object>> payloads, int records)
          throws Exception {
        try (ChronicleQueue queue =
            ChronicleQueue.singleBuilder(dir.resolve("queue").toFile()).build()) {
          return endToEnd(
              payloads,
              records,
              () -> {
                ExcerptAppender appender = queue.createAppender();
                return batch -> {
                  for (Map<String, Object> value : batch) {
                    byte[] bytes = JSON.writeValueAsBytes(value);
                    try (DocumentContext dc = appender.writingDocument()) {
                      dc.wire().bytes().write(bytes);
                    }
                  }
                };
              },
              () -> {
                ExcerptTailer tailer = queue.createTailer("g");
                byte[] buffer = new byte[4096];
                return window -> {
                  long sum = 0;
                  int got = 0;
                  int idle = 0;
                  while (got < window) {
                    try (DocumentContext dc = tailer.readingDocument()) {
                      if (!dc.isPresent()) {
                        idle = pause(idle);
                        continue;
                      }
                      idle = 0;
                      Bytes<?> bytes = dc.wire().bytes();
                      int length = (int) bytes.readRemaining();
                      bytes.read(buffer, 0, length);
                      sum += id(JSON.readValue(buffer, 0, length, Map.class));
                      got++;
                    }
                  }
                  // a named tailer's read index is kept by the queue as it reads: the commit
                  return sum;
                };
              });
        }
      }
    };
  }

  static Peer artemis(boolean sync) {
    return new Peer() {
      @Override
      public String name() {
        return "Artemis " + version("artemis") + ", sync " + (sync ? "on" : "off");
      }

      @Override
      public String durability() {
        return sync
            ? "power loss: journal fsync per transaction commit (Artemis's default)"
            : "less than process crash: journal-sync off, a commit may return before its"
                + " buffered journal write";
      }

      @Override
      public ConsumerBench.Result run(Path dir, List<Map<String, Object>> payloads, int records)
          throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(artemisConfiguration(dir, sync));
        broker.start();
        try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://0");
            ClientSessionFactory factory = locator.createSessionFactory();
            ClientSession producerSession = factory.createSession(false, false, false);
            ClientSession consumerSession = factory.createSession(false, false, false)) {
          producerSession.createQueue(
              QueueConfiguration.of("peers").setRoutingType(RoutingType.ANYCAST).setDurable(true));
          ClientConsumer consumer = consumerSession.createConsumer("peers");
          consumerSession.start();
          return endToEnd(
              payloads,
              records,
              () -> {
                ClientProducer producer = producerSession.createProducer("peers");
                return batch -> {
                  for (Map<String, Object> value : batch) {
                    ClientMessage m = producerSession.createMessage(true);
                    m.getBodyBuffer().writeBytes(JSON.writeValueAsBytes(value));
                    producer.send(m);
                  }
                  producerSession.commit();
                };
              },
              () -> {
                byte[] buffer = new byte[4096];
                return window -> {
                  long sum = 0;
                  for (int got = 0; got < window; ) {
                    ClientMessage m = consumer.receive(1_000);
                    if (m == null) {
                      if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("interrupted waiting for messages");
                      }
                      continue;
                    }
                    int length = m.getBodySize();
                    m.getBodyBuffer().readBytes(buffer, 0, length);
                    sum += id(JSON.readValue(buffer, 0, length, Map.class));
                    m.acknowledge();
                    got++;
                  }
                  consumerSession.commit();
                  return sum;
                };
              });
        } finally {
          broker.stop();
        }
      }
    };
  }

  private static Configuration artemisConfiguration(Path dir, boolean sync) throws Exception {
    Configuration c = new ConfigurationImpl();
    c.setPersistenceEnabled(true);
    c.setSecurityEnabled(false);
    c.setJMXManagementEnabled(false);
    c.setJournalType(JournalType.NIO);
    c.setJournalSyncTransactional(sync);
    c.setJournalSyncNonTransactional(sync);
    c.setJournalDirectory(dir.resolve("journal").toString());
    c.setBindingsDirectory(dir.resolve("bindings").toString());
    c.setLargeMessagesDirectory(dir.resolve("large").toString());
    c.setPagingDirectory(dir.resolve("paging").toString());
    c.addAcceptorConfiguration("in-vm", "vm://0");
    return c;
  }

  /** Appends one batch of values. */
  interface Appender {
    void append(List<Map<String, Object>> batch) throws Exception;
  }

  /** Reads, decodes and commits one window of {@code size} records; returns their ids' sum. */
  interface Reader {
    long window(int size) throws Exception;
  }

  interface Factory<T> {
    T create() throws Exception;
  }

  /**
   * The harness of the peers without a Sluice job: the consumer thread is started first, then the
   * producer; timed from the producer's first append to the consumer's commit of the last window.
   */
  static ConsumerBench.Result endToEnd(
      List<Map<String, Object>> payloads,
      int records,
      Factory<Appender> appenders,
      Factory<Reader> readers)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong sum = new AtomicLong();
    AtomicLong producerDone = new AtomicLong();
    AtomicLong consumerDone = new AtomicLong();
    Reader reader = readers.create();
    Appender appender = appenders.create();
    Thread consumer =
        new Thread(
            () -> {
              try {
                for (int done = 0; done < records; done += BATCH) {
                  sum.addAndGet(reader.window(BATCH));
                }
                consumerDone.set(System.nanoTime());
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            },
            "peer-consumer");
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int done = 0; done < records; done += BATCH) {
                  appender.append(payloads);
                }
                producerDone.set(System.nanoTime());
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            },
            "peer-producer");
    consumer.start();
    long start = System.nanoTime();
    producer.start();
    producer.join();
    if (failure.get() != null) {
      consumer.interrupt();
    }
    consumer.join();
    if (failure.get() != null) {
      throw new IllegalStateException("a peer's run failed", failure.get());
    }
    long expected = 0;
    for (int i = 0; i < records; i++) {
      expected += id(payloads.get(i % payloads.size()));
    }
    if (sum.get() != expected) {
      throw new IllegalStateException("sum of ids " + sum.get() + " != " + expected);
    }
    long end = consumerDone.get();
    return new ConsumerBench.Result(
        records / ((end - start) / 1e9),
        String.format(
            Locale.ROOT,
            "producer done at %.2f s, consumer committed the last record at %.2f s",
            (producerDone.get() - start) / 1e9,
            (end - start) / 1e9));
  }

  /** A peer's version as the build resolved it (peers.properties, filled in by Maven). */
  static String version(String peer) {
    java.util.Properties p = new java.util.Properties();
    try (var in = PeersLogBench.class.getResourceAsStream("peers.properties")) {
      p.load(in);
    } catch (Exception | Error e) {
      return "(version unknown)";
    }
    return p.getProperty(peer, "(version unknown)");
  }

  private static long id(Map<?, ?> value) {
    return ((Number) value.get("id")).longValue();
  }

  /** Spins briefly, then parks 50 µs: a tailer has no signal to wait on. */
  private static int pause(int idle) {
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while waiting for records");
    }
    if (idle < 100) {
      Thread.onSpinWait();
    } else {
      LockSupport.parkNanos(50_000);
    }
    return idle + 1;
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
