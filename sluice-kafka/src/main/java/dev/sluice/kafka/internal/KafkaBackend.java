package dev.sluice.kafka.internal;

import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import dev.sluice.StreamMetadata;
import dev.sluice.UnsupportedCapabilityException;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.consumer.ConsumerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store whose streams are Kafka topics ({@code <prefix><stream>}).
 *
 * <p>Single appends go through one idempotent producer ({@code acks=all}); a batch of several
 * entries is one Kafka transaction of a second, transactional producer, so it is atomic (and takes
 * one more offset for the transaction's commit marker). Reads use {@code read_committed} consumers
 * assigned to one partition, so a batch is seen whole or not at all. Timestamps are the broker's
 * (topics are created with {@code LogAppendTime}).
 */
final class KafkaBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBackend.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
  private static final int MAX_IDLE_READERS = 8;

  private final KafkaUrl url;
  private final String canonical;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Object txLock = new Object();
  private KafkaProducer<byte[], byte[]> txProducer; // guarded by txLock
  private final Object createLock = new Object();
  private final LinkedBlockingQueue<KafkaConsumer<byte[], byte[]>> readers =
      new LinkedBlockingQueue<>();
  private final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();
  private final ThreadLocal<CompletableFuture<Long>> lastSend = new ThreadLocal<>();
  private final ExecutorService batches;
  private final StoreOptions options;
  private final KafkaConsumers consumers;
  private volatile boolean closed;

  private record TopicInfo(String id, int partitions) {}

  KafkaBackend(KafkaUrl url, String canonical, StoreOptions options) {
    this.url = url;
    this.canonical = canonical;
    this.options = options;
    this.consumers = new KafkaConsumers(this);
    this.admin = Admin.create(url.configsFor("admin"));
    this.producer = new KafkaProducer<>(producerConfigs(null));
    this.batches =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-kafka-batches");
              t.setDaemon(true);
              return t;
            });
  }

  Map<String, Object> producerConfigs(String transactionalId) {
    Map<String, Object> c = url.configsFor("producer");
    c.putIfAbsent("linger.ms", "1");
    c.putIfAbsent("batch.size", "262144"); // an appendAll of 1,000 small records in one batch
    c.put("enable.idempotence", "true");
    c.put("acks", "all");
    c.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    c.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    if (transactionalId != null) {
      c.put("transactional.id", transactionalId);
    }
    return c;
  }

  @Override
  public String url() {
    return canonical;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.PARTITIONS, Capability.CONSUMER_RUNTIME);
  }

  @Override
  public Optional<ConsumerRuntime> consumerRuntime() {
    return Optional.of(consumers);
  }

  Clock clock() {
    return options.clock();
  }

  Admin admin() {
    return admin;
  }

  /** Creates the stream's topic if absent. */
  void ensureStream(String stream) {
    checkOpen();
    ensureTopic(stream);
  }

  /** Configs of a consumer in a Kafka consumer group, reading committed records only. */
  Map<String, Object> groupConsumerConfigs(String groupId) {
    Map<String, Object> conf = url.configsFor("consumer");
    conf.put("group.id", groupId);
    conf.put("enable.auto.commit", "false");
    conf.put("isolation.level", "read_committed");
    conf.putIfAbsent("max.poll.records", "2000");
    conf.putIfAbsent("auto.offset.reset", "earliest");
    conf.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    conf.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    return conf;
  }

  String topic(String stream) {
    return url.prefix() + stream;
  }

  // ---- appends

  @Override
  public CompletableFuture<Long> append(String stream, List<Entry> entries) {
    checkOpen();
    ensureTopic(stream);
    if (entries.size() == 1) {
      return send(stream, entries.get(0));
    }
    CompletableFuture<Long> before = lastSend.get();
    return CompletableFuture.supplyAsync(
        () -> {
          awaitQuietly(before);
          return transact(stream, entries);
        },
        batches);
  }

  @Override
  public long appendAndWait(String stream, List<Entry> entries) {
    checkOpen();
    ensureTopic(stream);
    if (entries.size() == 1) {
      try {
        return send(stream, entries.get(0)).join();
      } catch (CompletionException e) {
        throw asStoreException(stream, e.getCause());
      }
    }
    // the caller's earlier asynchronous appends are written before this batch
    awaitQuietly(lastSend.get());
    return transact(stream, entries);
  }

  private static void awaitQuietly(CompletableFuture<Long> f) {
    if (f != null) {
      try {
        f.join();
      } catch (RuntimeException e) {
        // it failed on its own account; its caller was told
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(String stream, Entry e) {
    byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic(stream), key, e.value());
  }

  private CompletableFuture<Long> send(String stream, Entry entry) {
    CompletableFuture<Long> offset = new CompletableFuture<>();
    try {
      producer.send(
          record(stream, entry),
          (meta, error) -> {
            if (error != null) {
              offset.completeExceptionally(asStoreException(stream, error));
            } else {
              offset.complete(meta.offset());
            }
          });
    } catch (RuntimeException e) {
      offset.completeExceptionally(asStoreException(stream, e));
    }
    lastSend.set(offset);
    return offset;
  }

  private long transact(String stream, List<Entry> entries) {
    synchronized (txLock) {
      checkOpen();
      KafkaProducer<byte[], byte[]> p = txProducer();
      int partition = partitionOf(stream, entries.get(0));
      try {
        p.beginTransaction();
        List<Future<RecordMetadata>> sent = new ArrayList<>(entries.size());
        for (Entry e : entries) {
          ProducerRecord<byte[], byte[]> r = record(stream, e);
          sent.add(p.send(new ProducerRecord<>(r.topic(), partition, r.key(), r.value())));
        }
        p.commitTransaction();
        return sent.get(0).get().offset();
      } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
        closeTxProducer();
        throw asStoreException(stream, e);
      } catch (KafkaException | ExecutionException e) {
        try {
          p.abortTransaction();
        } catch (RuntimeException abort) {
          closeTxProducer();
        }
        throw asStoreException(stream, e instanceof ExecutionException ? e.getCause() : e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeTxProducer(); // the transaction's outcome is unknown to this producer
        throw new StoreException("interrupted while appending a batch to " + stream, e);
      }
    }
  }

  /**
   * The one partition of a batch: the first entry's key decides as Kafka's partitioner does for
   * single appends, so a key's records stay in one partition; a batch without a key goes to a
   * random partition.
   */
  private int partitionOf(String stream, Entry first) {
    int partitions = ensureTopic(stream).partitions();
    if (first.key() == null) {
      return java.util.concurrent.ThreadLocalRandom.current().nextInt(partitions);
    }
    byte[] key = first.key().getBytes(StandardCharsets.UTF_8);
    return org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(key))
        % partitions;
  }

  private KafkaProducer<byte[], byte[]> txProducer() {
    if (txProducer == null) {
      KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(producerConfigs("sluice-" + UUID.randomUUID()));
      p.initTransactions();
      txProducer = p;
    }
    return txProducer;
  }

  private void closeTxProducer() {
    if (txProducer != null) {
      try {
        txProducer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing a broken transactional producer", e);
      }
      txProducer = null;
    }
  }

  private StoreException asStoreException(String stream, Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    return new StoreException(
        "append to stream \"" + stream + "\" (topic " + topic(stream) + ") failed: " + e, e);
  }

  // ---- topics

  private TopicInfo ensureTopic(String stream) {
    TopicInfo known = topics.get(stream);
    if (known != null) {
      return known;
    }
    synchronized (createLock) {
      TopicInfo info = describe(stream);
      long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
      while (info == null) {
        try {
          NewTopic t =
              new NewTopic(
                      topic(stream),
                      // dead letters keep one order: one partition
                      Optional.of(stream.endsWith(".dlq") ? 1 : url.partitions()),
                      url.replication() < 1 ? Optional.empty() : Optional.of(url.replication()))
                  .configs(Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "-1"));
          admin.createTopics(List.of(t)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw admin("create the topic " + topic(stream), e.getCause());
          }
          // created meanwhile, or still being deleted: look again
        } catch (InterruptedException | TimeoutException e) {
          throw admin("create the topic " + topic(stream), e);
        }
        info = describe(stream);
        if (info == null) {
          if (System.nanoTime() > deadline) {
            throw new StoreException(
                "topic " + topic(stream) + " could not be created in " + ADMIN_TIMEOUT);
          }
          pause();
        }
      }
      return info;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for Kafka", e);
    }
  }

  /** The topic of a stream as the cluster knows it now, or null if absent (cached when present). */
  private TopicInfo describe(String stream) {
    TopicInfo known = topics.get(stream);
    if (known != null) {
      return known;
    }
    try {
      TopicDescription d =
          admin
              .describeTopics(List.of(topic(stream)))
              .topicNameValues()
              .get(topic(stream))
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      TopicInfo info = new TopicInfo(d.topicId().toString(), d.partitions().size());
      topics.put(stream, info);
      return info;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw admin("describe the topic " + topic(stream), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("describe the topic " + topic(stream), e);
    }
  }

  private StoreException admin(String what, Throwable e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new StoreException("Kafka store " + canonical + " could not " + what + ": " + e, e);
  }

  @Override
  public StreamMetadata create(String stream) {
    checkOpen();
    ensureTopic(stream);
    return metadata(stream).orElseThrow();
  }

  @Override
  public int partitions(String stream) {
    checkOpen();
    TopicInfo info = describe(stream);
    return info == null ? url.partitions() : info.partitions();
  }

  // ---- reads

  @Override
  public List<Record<byte[]>> read(String stream, int partition, long fromOffset, int max) {
    checkOpen();
    TopicInfo info = describe(stream);
    if (info == null) {
      return List.of();
    }
    if (partition >= info.partitions()) {
      throw new IllegalArgumentException(
          "partition must be below the "
              + info.partitions()
              + " partitions of stream \""
              + stream
              + "\": "
              + partition);
    }
    KafkaConsumer<byte[], byte[]> c = borrow();
    boolean healthy = false;
    try {
      List<Record<byte[]>> out =
          read(c, stream, new TopicPartition(topic(stream), partition), fromOffset, max);
      healthy = true;
      return out;
    } catch (KafkaException e) {
      throw new StoreException("read of stream \"" + stream + "\" failed: " + e, e);
    } finally {
      giveBack(c, healthy);
    }
  }

  private List<Record<byte[]>> read(
      KafkaConsumer<byte[], byte[]> c, String stream, TopicPartition tp, long from, int max) {
    List<TopicPartition> one = List.of(tp);
    c.assign(one);
    long end = c.endOffsets(one).get(tp); // the last stable offset: read_committed
    long start = Math.max(from, c.beginningOffsets(one).get(tp));
    if (start >= end) {
      return List.of();
    }
    c.seek(tp, start);
    List<Record<byte[]>> out = new ArrayList<>(Math.min(max, 1024));
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (out.size() < max && c.position(tp) < end) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100)).records(tp)) {
        if (r.offset() >= start && r.offset() < end && out.size() < max) {
          out.add(
              new Record<>(
                  stream,
                  tp.partition(),
                  r.offset(),
                  Instant.ofEpochMilli(r.timestamp()),
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                  r.value() == null ? new byte[0] : r.value()));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new StoreException(
            "read of stream \""
                + stream
                + "\" from offset "
                + from
                + " timed out after "
                + READ_TIMEOUT);
      }
    }
    return out;
  }

  private KafkaConsumer<byte[], byte[]> borrow() {
    KafkaConsumer<byte[], byte[]> c = readers.poll();
    if (c != null) {
      return c;
    }
    Map<String, Object> conf = url.configsFor("consumer");
    conf.remove("group.id");
    conf.put("enable.auto.commit", "false");
    conf.put("isolation.level", "read_committed");
    conf.put("auto.offset.reset", "earliest");
    conf.putIfAbsent("max.poll.records", "5000");
    conf.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    conf.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    return new KafkaConsumer<>(conf);
  }

  private void giveBack(KafkaConsumer<byte[], byte[]> c, boolean healthy) {
    if (healthy && !closed && readers.size() < MAX_IDLE_READERS) {
      readers.offer(c);
    } else {
      c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
    }
  }

  // ---- metadata

  @Override
  public List<String> streams() {
    checkOpen();
    try {
      List<String> out = new ArrayList<>();
      for (String t :
          admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        if (t.startsWith(url.prefix())) {
          String name = t.substring(url.prefix().length());
          if (STREAM_NAME.matcher(name).matches()) {
            out.add(name);
          }
        }
      }
      out.sort(null);
      return out;
    } catch (ExecutionException e) {
      throw admin("list topics", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("list topics", e);
    }
  }

  @Override
  public Optional<StreamMetadata> metadata(String stream) {
    checkOpen();
    TopicInfo info = describe(stream);
    if (info == null) {
      return Optional.empty();
    }
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> newest = new HashMap<>();
    for (int p = 0; p < info.partitions(); p++) {
      TopicPartition tp = new TopicPartition(topic(stream), p);
      earliest.put(tp, OffsetSpec.earliest());
      latest.put(tp, OffsetSpec.latest());
      newest.put(tp, OffsetSpec.maxTimestamp());
    }
    try {
      ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, ListOffsetsResultInfo> first =
          admin.listOffsets(earliest, committed).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> next =
          admin.listOffsets(latest, committed).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> last =
          admin.listOffsets(newest).all().get(30, TimeUnit.SECONDS);
      long count = 0;
      long lastMillis = -1;
      for (TopicPartition tp : earliest.keySet()) {
        count += next.get(tp).offset() - first.get(tp).offset();
        lastMillis = Math.max(lastMillis, last.get(tp).timestamp());
      }
      TopicPartition zero = new TopicPartition(topic(stream), 0);
      return Optional.of(
          new StreamMetadata(
              stream,
              info.id(),
              null,
              count,
              first.get(zero).offset(),
              next.get(zero).offset(),
              lastMillis < 0 ? null : Instant.ofEpochMilli(lastMillis),
              retention(stream)));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        topics.remove(stream);
        return Optional.empty();
      }
      throw admin("read the offsets of " + topic(stream), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("read the offsets of " + topic(stream), e);
    }
  }

  private Retention retention(String stream) {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic(stream));
    try {
      Config config = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      ConfigEntry ms = config.get("retention.ms");
      long millis = ms == null || ms.value() == null ? -1 : Long.parseLong(ms.value());
      return millis < 0 ? Retention.forever() : Retention.time(Duration.ofMillis(millis));
    } catch (ExecutionException e) {
      throw admin("read the configs of " + topic(stream), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("read the configs of " + topic(stream), e);
    }
  }

  // ---- changes

  @Override
  public boolean drop(String stream) {
    checkOpen();
    TopicInfo info = describe(stream);
    topics.remove(stream);
    if (info == null) {
      return false;
    }
    try {
      admin.deleteTopics(List.of(topic(stream))).all().get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw admin("delete the topic " + topic(stream), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("delete the topic " + topic(stream), e);
    } finally {
      topics.remove(stream);
    }
  }

  @Override
  public void clear(String stream) {
    checkOpen();
    throw new UnsupportedCapabilityException(
        canonical,
        "clear() of stream \""
            + stream
            + "\" (a Kafka topic cannot restart at offset 0 while it exists; drop the stream"
            + " instead)",
        Capability.CLEAR);
  }

  @Override
  public void retention(String stream, Retention retention) {
    checkOpen();
    String millis =
        switch (retention.kind()) {
          case FOREVER -> "-1";
          case TIME -> Long.toString(retention.maxAge().toMillis());
          case UNTIL_CONSUMED ->
              throw new UnsupportedCapabilityException(
                  canonical,
                  "Retention.untilConsumed() on stream \""
                      + stream
                      + "\" (Kafka deletes by time or size, not by what groups consumed)",
                  Capability.RETENTION_UNTIL_CONSUMED);
          case COUNT ->
              throw new StoreException(
                  "a Kafka store keeps records by time, not by count: "
                      + retention
                      + " on stream \""
                      + stream
                      + "\" is refused; use Retention.time(..) or forever()");
        };
    ensureTopic(stream);
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic(stream));
    AlterConfigOp op =
        new AlterConfigOp(new ConfigEntry("retention.ms", millis), AlterConfigOp.OpType.SET);
    try {
      admin.incrementalAlterConfigs(Map.of(r, List.of(op))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw admin("set retention.ms of " + topic(stream), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw admin("set retention.ms of " + topic(stream), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("Kafka store " + canonical + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    consumers.stopAll();
    batches.shutdown();
    try {
      batches.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(30));
    synchronized (txLock) {
      closeTxProducer();
    }
    KafkaConsumer<byte[], byte[]> c;
    while ((c = readers.poll()) != null) {
      c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
    }
    admin.close(Duration.ofSeconds(5));
  }
}
