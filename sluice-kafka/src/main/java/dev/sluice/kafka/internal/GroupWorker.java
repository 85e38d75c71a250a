package dev.sluice.kafka.internal;

import dev.sluice.Codecs;
import dev.sluice.Delivery;
import dev.sluice.Record;
import dev.sluice.SluiceException;
import dev.sluice.StartFrom;
import dev.sluice.WindowFunction;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.spi.consumer.ConsumerSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a Sluice group's Kafka consumer group: polls its assigned partitions, forms windows
 * per partition, runs the function and the sink, and commits each window's next offset (with the
 * window's bounds as commit metadata) only after both finished. Windows are handled on the polling
 * thread, so a partition is never revoked while one of its windows is in flight; a commit refused
 * because the group moved on ({@link CommitFailedException}, a fenced transaction) is a lost lease:
 * nothing is committed and the partition's new owner runs the window again.
 */
final class GroupWorker<T> {
  private static final Logger LOG = LoggerFactory.getLogger(GroupWorker.class);

  /** How far behind the clock time windows close: the broker stamps records, not this clock. */
  static final Duration TIME_GRACE = Duration.ofMillis(250);

  private static final int MAX_TRACE = 4_000;
  private final KafkaBackend backend;
  private final ConsumerSpec<T> spec;
  private final WindowFunction<T, ?> function;
  private final JobCounters counters;
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<Integer, PartitionWindows<T>> parts = new TreeMap<>();
  private KafkaProducer<byte[], byte[]> producer; // exactly-once only
  private volatile boolean stopping;

  /** A commit refused because this worker no longer owns the partition. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost(Throwable cause) {
      super(cause);
    }
  }

  GroupWorker(KafkaBackend backend, ConsumerSpec<T> spec, JobCounters counters) {
    this.backend = backend;
    this.spec = spec;
    this.function = spec.function();
    this.counters = counters;
    this.topic = backend.topic(spec.stream());
    backend.ensureStream(spec.stream());
    this.consumer = new KafkaConsumer<>(backend.groupConsumerConfigs(groupId(backend, spec)));
    if (spec.delivery() == Delivery.EXACTLY_ONCE) {
      newProducer();
    }
    consumer.subscribe(List.of(topic), new Listener());
  }

  static String groupId(KafkaBackend backend, ConsumerSpec<?> spec) {
    return groupId(backend.topic(spec.stream()), spec.group());
  }

  static String groupId(String topic, String group) {
    return "sluice." + topic + "." + group;
  }

  private void newProducer() {
    Map<String, Object> configs =
        backend.producerConfigs("sluice-" + spec.group() + "-" + UUID.randomUUID());
    // A transaction spans only a window's output and commit. A member killed inside one blocks
    // its partitions' committed offsets (and the output's read_committed readers) until the
    // broker aborts it after this timeout, so keep it short.
    configs.putIfAbsent("transaction.timeout.ms", "10000");
    producer = new KafkaProducer<>(configs);
    producer.initTransactions();
  }

  /**
   * Asks the worker to stop after the window in hand. No {@code wakeup()}: it would abort the
   * window's commit; polls wait at most 50 ms.
   */
  void stop() {
    stopping = true;
  }

  /** Polls and handles windows until stopped. */
  void run() {
    try {
      while (!stopping) {
        step(Duration.ofMillis(50), false);
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // stopped
    } finally {
      close();
    }
  }

  /**
   * Handles at most one window that is ready now: polls until the partitions are assigned and read
   * to their end; returns whether it handled one.
   */
  boolean once(Duration patience) {
    try {
      long deadline = System.nanoTime() + patience.toNanos();
      while (System.nanoTime() < deadline) {
        if (step(Duration.ofMillis(50), true)) {
          return true;
        }
        if (!consumer.assignment().isEmpty() && allCaughtUp()) {
          // one more look with the records of the last poll
          return step(Duration.ZERO, true);
        }
      }
      return false;
    } finally {
      close();
    }
  }

  private boolean allCaughtUp() {
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }

  private boolean step(Duration poll, boolean justOne) {
    ConsumerRecords<byte[], byte[]> batch = consumer.poll(poll);
    for (TopicPartition tp : batch.partitions()) {
      PartitionWindows<T> pw = parts.get(tp.partition());
      if (pw == null) {
        continue;
      }
      for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
        take(pw, r);
      }
    }
    boolean handled = false;
    Instant now = backend.clock().instant().minus(TIME_GRACE);
    for (PartitionWindows<T> pw : List.copyOf(parts.values())) {
      TopicPartition tp = new TopicPartition(topic, pw.partition);
      while (!stopping && parts.get(pw.partition) == pw) {
        OptionalLong lag = consumer.currentLag(tp);
        boolean caughtUp = lag.isPresent() && lag.getAsLong() == 0;
        Optional<PartitionWindows.Formed<T>> formed =
            pw.next(spec.emitter(), now, caughtUp, spec.emitEmpty(), spec.maxEmptyCatchUp());
        if (formed.isEmpty()) {
          break;
        }
        if (handle(pw, formed.get())) {
          handled = true;
          if (justOne) {
            return true;
          }
        }
      }
    }
    return handled;
  }

  private void take(PartitionWindows<T> pw, ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    T value;
    try {
      value = spec.codec().decode(r.value() == null ? new byte[0] : r.value());
    } catch (Exception e) {
      Map<String, Object> letter = letter(r.partition(), r.offset(), r.timestamp(), key, null, e);
      letter.put(
          "valueBase64",
          Base64.getEncoder().encodeToString(r.value() == null ? new byte[0] : r.value()));
      deadLetter(List.of(letter));
      counters.recordDeadLettered(1);
      LOG.warn(
          "record {}@{} of stream {} cannot be decoded; sent to {}.dlq: {}",
          r.partition(),
          r.offset(),
          spec.stream(),
          spec.stream(),
          e.toString());
      pw.polled(r.offset() + 1);
      return;
    }
    pw.add(
        new Record<>(
            spec.stream(),
            r.partition(),
            r.offset(),
            Instant.ofEpochMilli(r.timestamp()),
            key,
            value));
  }

  /** Runs one formed window to its commit; returns whether a handler saw it. */
  private boolean handle(PartitionWindows<T> pw, PartitionWindows.Formed<T> f) {
    List<Record<T>> records = f.records().isEmpty() ? f.records() : castArrange(f.records());
    if (records.isEmpty() && !spec.emitEmpty()) {
      try {
        if (f.nextCursor() > pw.cursor()) {
          commit(pw, f, List.of());
        } else {
          pw.done(f);
        }
      } catch (LeaseLost e) {
        lost(pw, e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new SluiceException("committing past an empty window failed: " + e, e);
      }
      return false;
    }
    long first = f.records().isEmpty() ? f.bounds().firstOffset() : f.records().get(0).offset();
    long last =
        f.records().isEmpty()
            ? f.bounds().lastOffset()
            : f.records().get(f.records().size() - 1).offset();
    int attempts = spec.retry().attempts();
    Exception failure = null;
    for (int attempt = 1; attempt <= attempts && !stopping; attempt++) {
      KafkaWindow<T> w =
          KafkaWindow.of(
              spec.stream(),
              spec.group(),
              pw.partition,
              f.seq(),
              records,
              first,
              last,
              f.bounds().start(),
              f.bounds().end(),
              attempt);
      try {
        Object result = function.apply(w);
        commit(pw, f, result == null ? List.of() : List.of(result));
        counters.windowDone(records.size());
        return true;
      } catch (LeaseLost e) {
        lost(pw, e);
        return true;
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        throw e;
      } catch (Exception e) {
        failure = e;
        counters.windowFailed();
        LOG.warn("window {} failed (attempt {} of {})", w.id(), attempt, attempts, e);
        if (attempt < attempts) {
          sleep(spec.retry().delayAfter(attempt));
        }
      }
    }
    if (stopping || failure == null) {
      return true; // not committed: the window runs again
    }
    String id = spec.group() + "/" + pw.partition + "/" + f.seq();
    switch (spec.deadLetter()) {
      case STOP ->
          throw new SluiceException(
              "window " + id + " failed " + attempts + " times; the job stops (DeadLetter.STOP)",
              failure);
      case WINDOW -> {
        List<Map<String, Object>> letters = new ArrayList<>();
        for (Record<T> r : records) {
          letters.add(windowLetter(id, r, first, last, attempts, failure));
        }
        finishWithLetters(pw, f, List.of(), letters);
      }
      case RECORD -> {
        List<Object> results = new ArrayList<>();
        List<Map<String, Object>> letters = new ArrayList<>();
        for (Record<T> r : records) {
          KafkaWindow<T> one =
              KafkaWindow.of(
                  spec.stream(),
                  spec.group(),
                  pw.partition,
                  f.seq(),
                  List.of(r),
                  r.offset(),
                  r.offset(),
                  r.timestamp(),
                  r.timestamp(),
                  attempts + 1);
          try {
            Object result = function.apply(one);
            if (result != null && producer == null && spec.sink() != null) {
              spec.sink().write(result); // a record whose output cannot be written is dead too
            } else if (result != null) {
              results.add(result);
            }
          } catch (org.apache.kafka.common.errors.WakeupException e) {
            throw e;
          } catch (Exception e) {
            letters.add(windowLetter(id, r, first, last, attempts, e));
          }
        }
        finishWithLetters(pw, f, results, letters);
      }
      default -> throw new IllegalStateException(spec.deadLetter().toString());
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private List<Record<T>> castArrange(List<Record<T>> records) {
    return ((dev.sluice.WindowEmitter<T>) spec.emitter()).arrange(records);
  }

  private void finishWithLetters(
      PartitionWindows<T> pw,
      PartitionWindows.Formed<T> f,
      List<Object> results,
      List<Map<String, Object>> letters) {
    deadLetter(letters);
    try {
      commit(pw, f, results);
      counters.windowDeadLettered(letters.size(), f.records().size() - letters.size());
    } catch (LeaseLost e) {
      lost(pw, e);
    } catch (Exception e) {
      throw new SluiceException("window " + f.seq() + " could not be committed: " + e, e);
    }
  }

  /** Writes the results and commits the window; throws LeaseLost if the group moved on. */
  private void commit(PartitionWindows<T> pw, PartitionWindows.Formed<T> f, List<Object> results)
      throws Exception {
    TopicPartition tp = new TopicPartition(topic, pw.partition);
    OffsetAndMetadata next = new OffsetAndMetadata(f.nextCursor(), pw.metaAfter(f).encode());
    if (producer != null) {
      commitInTransaction(tp, next, results);
    } else {
      if (!results.isEmpty() && spec.sink() != null) {
        spec.sink().writeAll(results);
      }
      try {
        consumer.commitSync(Map.of(tp, next));
      } catch (CommitFailedException | RebalanceInProgressException | FencedInstanceIdException e) {
        throw new LeaseLost(e);
      }
    }
    pw.done(f);
  }

  @SuppressWarnings("unchecked")
  private void commitInTransaction(TopicPartition tp, OffsetAndMetadata next, List<Object> results)
      throws Exception {
    producer.beginTransaction();
    try {
      if (!results.isEmpty() && spec.sink() != null) {
        ((TransactionalSink<Object>) (TransactionalSink<?>) spec.sink()).write(new Tx(), results);
      }
      producer.sendOffsetsToTransaction(Map.of(tp, next), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException | CommitFailedException | FencedInstanceIdException e) {
      replaceProducer();
      throw new LeaseLost(e);
    } catch (KafkaException e) {
      abort();
      if (e.getCause() instanceof CommitFailedException
          || e.getClass().getSimpleName().contains("Generation")) {
        throw new LeaseLost(e);
      }
      throw e;
    } catch (Exception e) {
      abort();
      throw e;
    }
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      replaceProducer();
    }
  }

  private void replaceProducer() {
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing a fenced producer", e);
    }
    newProducer();
  }

  /** The window's transaction, for a TransactionalSink into a stream of this store. */
  private final class Tx implements StoreTransaction {
    @Override
    public String storeUrl() {
      return backend.url();
    }

    @Override
    public long append(String stream, List<Entry> entries) {
      backend.ensureStream(stream);
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (Entry e : entries) {
        byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(backend.topic(stream), key, e.value())));
      }
      if (sent.isEmpty()) {
        return -1;
      }
      producer.flush();
      try {
        return sent.get(0).get().offset();
      } catch (Exception ex) {
        throw new SluiceException("append to " + stream + " in a transaction failed: " + ex, ex);
      }
    }

    @Override
    public Optional<Connection> connection() {
      return Optional.empty();
    }
  }

  private void lost(PartitionWindows<T> pw, LeaseLost e) {
    counters.leaseLost();
    LOG.warn(
        "lease lost: the group moved partition {} of {} on before window {} committed; its new"
            + " owner runs it again ({})",
        pw.partition,
        spec.stream(),
        pw.seq() + 1,
        e.getCause().toString());
    TopicPartition tp = new TopicPartition(topic, pw.partition);
    parts.remove(pw.partition);
    if (consumer.assignment().contains(tp)) {
      try {
        assign(List.of(tp));
      } catch (KafkaException again) {
        LOG.debug("re-reading partition {} after a lost lease", tp, again);
      }
    }
  }

  private void deadLetter(List<Map<String, Object>> letters) {
    if (letters.isEmpty()) {
      return;
    }
    List<Entry> entries = new ArrayList<>(letters.size());
    for (Map<String, Object> l : letters) {
      try {
        entries.add(new Entry(null, Codecs.json().encode(l)));
      } catch (Exception e) {
        throw new SluiceException("cannot encode a dead letter: " + e, e);
      }
    }
    backend.appendAndWait(spec.stream() + ".dlq", entries);
  }

  private Map<String, Object> windowLetter(
      String id, Record<T> r, long first, long last, int attempts, Exception e) {
    Map<String, Object> l =
        letter(r.partition(), r.offset(), r.timestamp().toEpochMilli(), r.key(), id, e);
    l.put("firstOffset", first);
    l.put("lastOffset", last);
    l.put("attempts", attempts);
    try {
      byte[] raw = spec.codec().encode(r.value());
      try {
        l.put("value", Codecs.json(Object.class).decode(raw));
      } catch (Exception notJson) {
        l.put("valueBase64", Base64.getEncoder().encodeToString(raw));
      }
    } catch (Exception cannot) {
      l.put("value", String.valueOf(r.value()));
    }
    return l;
  }

  private Map<String, Object> letter(
      int partition, long offset, long timestamp, String key, String window, Exception e) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("stream", spec.stream());
    l.put("partition", partition);
    l.put("group", spec.group());
    if (window != null) {
      l.put("window", window);
    }
    l.put("offset", offset);
    l.put("error", e.getClass().getName());
    l.put("message", String.valueOf(e.getMessage()));
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String t = trace.toString();
    l.put("stackTrace", t.length() > MAX_TRACE ? t.substring(0, MAX_TRACE) : t);
    l.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
    l.put("deadAt", backend.clock().instant().toString());
    l.put("key", key);
    return l;
  }

  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    while (!stopping && System.nanoTime() < until) {
      try {
        Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }

  private void assign(Collection<TopicPartition> assigned) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned));
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata c = committed.get(tp);
      CommitMeta meta = null;
      if (c != null) {
        consumer.seek(tp, c.offset());
        meta = CommitMeta.decode(c.metadata());
      } else {
        startFrom(tp);
      }
      parts.put(
          tp.partition(), new PartitionWindows<>(tp.partition(), consumer.position(tp), meta));
    }
  }

  private void startFrom(TopicPartition tp) {
    StartFrom s = spec.startFrom();
    switch (s.kind()) {
      case EARLIEST -> consumer.seekToBeginning(List.of(tp));
      case LATEST -> consumer.seekToEnd(List.of(tp));
      case OFFSET -> consumer.seek(tp, s.offset());
      case TIME -> {
        OffsetAndTimestamp at =
            consumer.offsetsForTimes(Map.of(tp, s.time().toEpochMilli())).get(tp);
        if (at == null) {
          consumer.seekToEnd(List.of(tp));
        } else {
          consumer.seek(tp, at.offset());
        }
      }
      default -> throw new IllegalStateException(s.toString());
    }
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      for (TopicPartition tp : revoked) {
        parts.remove(tp.partition());
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      onPartitionsRevoked(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      assign(assigned);
    }
  }

  private void close() {
    try {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer of {}", spec.stream(), e);
    }
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the producer of {}", spec.stream(), e);
      }
    }
  }
}
