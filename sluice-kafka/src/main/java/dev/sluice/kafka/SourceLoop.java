package dev.sluice.kafka;

import dev.sluice.EventStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one {@link KafkaSource#attach}: poll, decode, append (dead-lettering what cannot
 * be decoded), wait until every append of the batch is durable, then commit the batch's offsets.
 */
final class SourceLoop<T> implements EventStream.Attachment {
  private static final Logger LOG = LoggerFactory.getLogger(SourceLoop.class);
  private static final int MAX_TRACE = 4_000;
  private final KafkaSource<T> source;
  private final EventStream<? super T> target;
  private final EventStream<Map<String, Object>> deadLetters;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong appended = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean closing;

  SourceLoop(
      KafkaSource<T> source,
      EventStream<? super T> target,
      EventStream<Map<String, Object>> deadLetters) {
    this.source = source;
    this.target = target;
    this.deadLetters = deadLetters;
    this.consumer = new KafkaConsumer<>(new HashMap<>(source.configs));
    this.thread = new Thread(this::run, "sluice-kafka-source-" + target.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(source.topics);
      while (!closing) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
        if (!batch.isEmpty()) {
          load(batch);
        }
      }
    } catch (WakeupException e) {
      // closed
    } catch (Throwable e) {
      if (!closing) {
        failure.compareAndSet(null, e);
        LOG.error("{} feeding {} failed", source, target.name(), e);
      }
    } finally {
      try {
        consumer.close(
            org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the Kafka consumer of {}", source, e);
      }
      done.countDown();
    }
  }

  private void load(ConsumerRecords<byte[], byte[]> batch) {
    List<CompletableFuture<Long>> pending = new ArrayList<>(batch.count());
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    long good = 0;
    for (ConsumerRecord<byte[], byte[]> r : batch) {
      next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
      Object value;
      try {
        if (r.value() == null) {
          throw new IllegalArgumentException("the message has no value (a tombstone)");
        }
        value = source.valueCodec.decode(r.value());
      } catch (Exception e) {
        pending.add(deadLetters.appendAsync(key, deadLetter(r, key, e)));
        LOG.warn(
            "{}: message {}-{}@{} cannot be decoded, sent to {}.dlq: {}",
            source,
            r.topic(),
            r.partition(),
            r.offset(),
            target.name(),
            e.toString());
        continue;
      }
      KafkaMessage<Object> message =
          new KafkaMessage<>(
              r.topic(),
              r.partition(),
              r.offset(),
              Instant.ofEpochMilli(r.timestamp()),
              key,
              headers(r),
              value);
      pending.add(target.appendAsync(key, source.shape.apply(message)));
      good++;
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    appended.addAndGet(good);
    try {
      consumer.commitSync(next);
    } catch (CommitFailedException e) {
      // the group rebalanced: whoever owns the partitions now re-reads from the last commit
      LOG.warn("{}: offset commit lost to a rebalance; messages may be appended again", source);
    }
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private Map<String, Object> deadLetter(
      ConsumerRecord<byte[], byte[]> r, String key, Exception e) {
    Map<String, Object> letter = new LinkedHashMap<>();
    letter.put("stream", target.name());
    letter.put("source", "kafka");
    letter.put("topic", r.topic());
    letter.put("partition", r.partition());
    letter.put("offset", r.offset());
    letter.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
    letter.put("key", key);
    letter.put("headers", headers(r));
    letter.put("error", e.getClass().getName());
    letter.put("message", String.valueOf(e.getMessage()));
    String trace = stackTrace(e);
    letter.put("stackTrace", trace.length() > MAX_TRACE ? trace.substring(0, MAX_TRACE) : trace);
    letter.put("deadAt", Instant.now().toString());
    if (r.value() != null) {
      letter.put("valueBase64", Base64.getEncoder().encodeToString(r.value()));
    }
    return letter;
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  @Override
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  @Override
  public long appended() {
    return appended.get();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public void close() {
    closing = true; // no wakeup(): it would abort an offset commit; polls wait at most 200 ms
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
