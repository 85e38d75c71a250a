package dev.sluice.kafka.streams.internal;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.spi.Codec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The runner's settings, its topics, and the helpers that write input and read captures. */
public final class Io {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private Io() {}

  /** Everything a runner was told; immutable. */
  public record Settings(
      String bootstrap,
      String applicationId,
      String input,
      String output,
      int partitions,
      long epochMillis,
      long graceMillis,
      int threads,
      boolean exactlyOnce,
      long commitMillis,
      String stateDir,
      Codec<Object> inputCodec,
      Codec<Object> outputCodec,
      Map<String, String> properties) {

    /** The defaults on a cluster. */
    public static Settings defaults(String bootstrap) {
      return new Settings(
          bootstrap,
          null,
          null,
          null,
          0,
          1000,
          0,
          1,
          true,
          100,
          null,
          ItemCodec.CODEC,
          ItemCodec.CODEC,
          Map.of());
    }

    /** A copy with the fields {@code change} sets on a draft of this one. */
    public Settings with(Consumer<Draft> change) {
      Draft draft = new Draft(this);
      change.accept(draft);
      return draft.settings();
    }

    /** The fields of a {@link Settings}, to change some of them in {@link #with}. */
    @SuppressWarnings("MemberName")
    public static final class Draft {
      public String bootstrap;
      public String applicationId;
      public String input;
      public String output;
      public int partitions;
      public long epochMillis;
      public long graceMillis;
      public int threads;
      public boolean exactlyOnce;
      public long commitMillis;
      public String stateDir;
      public Codec<Object> inputCodec;
      public Codec<Object> outputCodec;
      public Map<String, String> properties;

      private Draft(Settings s) {
        bootstrap = s.bootstrap;
        applicationId = s.applicationId;
        input = s.input;
        output = s.output;
        partitions = s.partitions;
        epochMillis = s.epochMillis;
        graceMillis = s.graceMillis;
        threads = s.threads;
        exactlyOnce = s.exactlyOnce;
        commitMillis = s.commitMillis;
        stateDir = s.stateDir;
        inputCodec = s.inputCodec;
        outputCodec = s.outputCodec;
        properties = s.properties;
      }

      private Settings settings() {
        return new Settings(
            bootstrap,
            applicationId,
            input,
            output,
            partitions,
            epochMillis,
            graceMillis,
            threads,
            exactlyOnce,
            commitMillis,
            stateDir,
            inputCodec,
            outputCodec,
            properties);
      }
    }

    @Override
    public String toString() {
      return "["
          + bootstrap
          + ", application "
          + applicationId
          + ", "
          + input
          + " -> "
          + output
          + ", "
          + threads
          + " thread(s)"
          + (exactlyOnce ? ", exactly once" : "")
          + "]";
    }
  }

  /** The bootstrap servers of {@code host:port[,host:port]} or {@code kafka://host:port[?…]}. */
  public static String bootstrap(String servers) {
    String bootstrap = servers.startsWith("kafka://") ? servers.substring(8) : servers;
    int q = bootstrap.indexOf('?');
    if (q >= 0) {
      bootstrap = bootstrap.substring(0, q);
    }
    if (bootstrap.endsWith("/")) {
      bootstrap = bootstrap.substring(0, bootstrap.length() - 1);
    }
    if (bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "Kafka servers must be host:port[,host:port] or kafka://host:port: \"" + servers + "\"");
    }
    return bootstrap;
  }

  /** Takes one captured pair. */
  @FunctionalInterface
  interface PairSink {
    void write(Epoched<Object> pair) throws Exception;
  }

  /**
   * Appends a worker's pairs to its own input partition, then an end marker there; the iterator is
   * closed if it is {@link AutoCloseable}.
   */
  static void appendTo(Settings s, int partition, Iterable<? extends Epoched<?>> pairs)
      throws Exception {
    if (pairs == null) {
      throw new SluiceException("the input builder returned null for worker " + partition);
    }
    java.util.Iterator<? extends Epoched<?>> items = pairs.iterator();
    try (KafkaProducer<byte[], byte[]> producer = producer(s)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      while (items.hasNext()) {
        Epoched<?> pair = items.next();
        if (pair == null) {
          throw new SluiceException("worker " + partition + "'s input holds a null pair");
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wire.EPOCH, Wire.longBytes(pair.epoch()));
        byte[] value = s.inputCodec().encode(pair.item());
        sent.add(
            producer.send(new ProducerRecord<>(s.input(), partition, null, null, value, headers)));
        if (sent.size() >= 10_000) {
          await(sent);
          sent.clear();
        }
      }
      RecordHeaders end = new RecordHeaders();
      end.add(Wire.END, null);
      sent.add(producer.send(new ProducerRecord<>(s.input(), partition, null, null, null, end)));
      await(sent);
    } finally {
      if (items instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** Reads one output partition's captures into {@code sink} until {@code markers} tasks ended. */
  static void readPartition(
      Settings s, int partition, int markers, Set<String> ended, PairSink sink) throws Exception {
    Properties p = clientProps(s);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(s.output(), partition);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      while (ended.size() < markers) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (!endMarker(r, s.applicationId(), ended)) {
            Long epoch = Wire.epoch(r.headers());
            sink.write(
                new Epoched<>(
                    epoch == null ? r.timestamp() : epoch, s.outputCodec().decode(r.value())));
          }
        }
      }
    }
  }

  /** Validates a topic or application id. */
  public static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " must match [A-Za-z0-9._-]{1,200}: "
              + (name == null ? "null" : "\"" + name + "\""));
    }
    return name;
  }

  static void require(Settings s) {
    if (s.applicationId() == null || s.input() == null || s.output() == null) {
      throw new IllegalStateException(
          "a Kafka Streams run needs applicationId, input and output; got " + s);
    }
  }

  static Properties clientProps(Settings s) {
    Properties p = new Properties();
    p.put("bootstrap.servers", s.bootstrap());
    s.properties()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("producer.")
                  && !k.startsWith("consumer.")
                  && !k.contains("stream")) {
                p.put(k, v);
              }
            });
    return p;
  }

  /**
   * Creates the input, output and exchange topics that are missing; returns the partition count of
   * the run.
   */
  static int ensureTopics(Settings s, List<String> exchanges) {
    try (Admin admin = Admin.create(clientProps(s))) {
      Integer inputPartitions = partitionsOf(admin, s.input());
      int partitions;
      if (inputPartitions == null) {
        if (s.partitions() == 0) {
          throw new SluiceException(
              "input topic " + s.input() + " does not exist; set partitions(n) to create it");
        }
        partitions = s.partitions();
      } else {
        partitions = inputPartitions;
        if (s.partitions() != 0 && s.partitions() != partitions) {
          throw new SluiceException(
              "partitions("
                  + s.partitions()
                  + ") differs from the "
                  + partitions
                  + " partitions of the existing input topic "
                  + s.input());
        }
      }
      List<String> topics = new ArrayList<>();
      topics.add(s.input());
      topics.add(s.output());
      topics.addAll(exchanges);
      for (String topic : topics) {
        create(admin, topic, partitions);
      }
      awaitTopics(admin, topics);
      for (String topic : exchanges) {
        Integer actual = partitionsOf(admin, topic);
        if (actual != null && actual != partitions) {
          throw new SluiceException(
              "exchange topic "
                  + topic
                  + " has "
                  + actual
                  + " partitions, the input "
                  + partitions
                  + "; delete it or use another applicationId");
        }
      }
      return partitions;
    }
  }

  /**
   * Waits until every topic is known to the cluster: another instance may have created one a moment
   * ago, and Kafka Streams fails a rebalance that misses a source topic.
   */
  private static void awaitTopics(Admin admin, List<String> topics) {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    for (String topic : topics) {
      while (partitionsOf(admin, topic) == null) {
        if (System.nanoTime() - deadline > 0) {
          throw new SluiceException("topic " + topic + " did not appear in " + ADMIN_TIMEOUT);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SluiceException("interrupted while waiting for topic " + topic, e);
        }
      }
    }
  }

  private static Integer partitionsOf(Admin admin, String topic) {
    try {
      Map<String, TopicDescription> d =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return d.get(topic).partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return null;
      }
      throw new SluiceException(
          "cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while describing topic " + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new SluiceException(
          "the Kafka cluster did not answer within "
              + ADMIN_TIMEOUT.toSeconds()
              + " s when asked for topic "
              + topic
              + ": is a broker running and reachable at the bootstrap servers given?",
          e);
    }
  }

  private static void create(Admin admin, String topic, int partitions) {
    try {
      admin
          .createTopics(
              List.of(
                  new NewTopic(
                      topic, java.util.Optional.of(partitions), java.util.Optional.empty())))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new SluiceException(
            "cannot create topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while creating topic " + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new SluiceException("topic " + topic + " could not be created in " + ADMIN_TIMEOUT, e);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Settings s) {
    Properties p = clientProps(s);
    p.put("acks", "all");
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Appends pairs round-robin over the input partitions, with epoch headers. */
  public static void append(Settings s, Iterable<? extends Epoched<?>> pairs) {
    require(s);
    int partitions = ensureTopics(s, List.of());
    try (KafkaProducer<byte[], byte[]> producer = producer(s)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      long position = 0;
      for (Epoched<?> pair : pairs) {
        byte[] value;
        try {
          value = s.inputCodec().encode(pair.item());
        } catch (Exception e) {
          throw new SluiceException("cannot encode input item " + pair + ": " + e, e);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wire.EPOCH, Wire.longBytes(pair.epoch()));
        int partition = (int) (position++ % partitions);
        sent.add(
            producer.send(new ProducerRecord<>(s.input(), partition, null, null, value, headers)));
      }
      await(sent);
    }
  }

  /** Appends an end marker to every input partition. */
  public static void endInput(Settings s) {
    require(s);
    int partitions = ensureTopics(s, List.of());
    try (KafkaProducer<byte[], byte[]> producer = producer(s)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wire.END, null);
        sent.add(producer.send(new ProducerRecord<>(s.input(), p, null, null, null, headers)));
      }
      await(sent);
    }
  }

  private static void await(List<Future<RecordMetadata>> sent) {
    try {
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new SluiceException("appending to the input failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while appending to the input", e);
    }
  }

  /** A read_committed consumer assigned to every partition of the output, from the start. */
  static KafkaConsumer<byte[], byte[]> outputReader(Settings s) {
    Properties p = clientProps(s);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(s.output())
        .forEach(i -> partitions.add(new TopicPartition(s.output(), i.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** Whether a record is one of this run's end markers; adds its task to {@code ended}. */
  static boolean endMarker(
      ConsumerRecord<byte[], byte[]> r, String applicationId, Set<String> ended) {
    if (!Wire.isEnd(r.headers())) {
      return false;
    }
    String marker = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
    if (marker.startsWith(applicationId + "/")) {
      ended.add(marker);
    }
    return true;
  }

  /** Reads the run's captures until its end markers are all there. */
  public static List<Epoched<Object>> captured(Dataflow<?, ?> flow, Settings s, Duration timeout) {
    require(s);
    Plan plan = Plans.plan(flow, s, partitionsOf(s));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Epoched<Object>> out = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = outputReader(s)) {
      while (ended.size() < plan.endMarkers()) {
        if (System.nanoTime() - deadline > 0) {
          throw new SluiceException(
              "the run "
                  + s.applicationId()
                  + " did not end within "
                  + timeout
                  + ": "
                  + ended.size()
                  + " of "
                  + plan.endMarkers()
                  + " tasks ended, "
                  + out.size()
                  + " captures read");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (endMarker(r, s.applicationId(), ended)) {
            continue;
          }
          Long epoch = Wire.epoch(r.headers());
          try {
            out.add(
                new Epoched<>(
                    epoch == null ? r.timestamp() : epoch, s.outputCodec().decode(r.value())));
          } catch (Exception e) {
            throw new SluiceException(
                "cannot decode output "
                    + r.topic()
                    + "-"
                    + r.partition()
                    + "@"
                    + r.offset()
                    + ": "
                    + e,
                e);
          }
        }
      }
    }
    out.sort(Comparator.comparingLong(Epoched::epoch));
    return out;
  }

  static int partitionsOf(Settings s) {
    try (Admin admin = Admin.create(clientProps(s))) {
      Integer n = partitionsOf(admin, s.input());
      if (n == null) {
        throw new SluiceException("input topic " + s.input() + " does not exist");
      }
      return n;
    }
  }
}
