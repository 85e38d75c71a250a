package dev.sluice.kafka.streams.internal;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.StateUpdate;
import dev.sluice.dataflow.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one segment of a {@link Plan} in one Kafka Streams task: the keyed head step (if any) with
 * its state in stores, the steps after it, captures to the output topic, and items and watermarks
 * to the next exchange topic.
 *
 * <p>The task's frontier is the epoch below which nothing more will arrive: on segment 0 it follows
 * the input partition's stream time (minus the grace), elsewhere it is the minimum over every
 * upstream task's watermark. Frontier, watermarks and all step state live in stores with changelog
 * topics, so a task resumes where it stopped on any instance. Confined to its task's thread.
 */
final class SegmentProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentProcessor.class);

  private final Plan plan;
  private final Plan.Segment segment;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> meta;
  private KeyValueStore<Bytes, byte[]> head;
  private KeyValueStore<Bytes, byte[]> pending;
  private final List<KeyValueStore<Bytes, byte[]>> locals = new ArrayList<>();
  private Node chain;
  private int task;
  private long frontier;
  private long streamTime;
  private long[] upstream;
  private boolean loaded;
  private long timestamp;
  private long late;

  SegmentProcessor(Plan plan, int segment) {
    this.plan = plan;
    this.segment = plan.segments.get(segment);
  }

  static String captureSink(int segment) {
    return "s" + segment + "-capture";
  }

  static String exchangeSink(int segment) {
    return "s" + segment + "-exchange";
  }

  static String store(int segment, String what) {
    return "sluice-s" + segment + "-" + what;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.task = context.taskId().partition();
    int k = segment.index();
    meta = context.getStateStore(store(k, "meta"));
    if (segment.head() != null) {
      head = context.getStateStore(store(k, "head"));
      if (!(segment.head() instanceof Step.ReduceEpoch)) {
        pending = context.getStateStore(store(k, "pending"));
      }
    }
    Node next = segment.exchanges() ? new Exchange() : new End();
    for (int i = segment.body().size() - 1; i >= 0; i--) {
      next = node(segment.body().get(i), segment.bodyIndexes().get(i), next);
    }
    chain = next;
  }

  private Node node(Step step, int index, Node next) {
    String where = step.operator() + " (step " + index + ")";
    if (step instanceof Step.Map s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          next.push(epoch, s.mapper().map(item));
        }
      };
    }
    if (step instanceof Step.FlatMap s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          Iterable<?> items = s.mapper().flatMap(item);
          if (items == null) {
            throw new SluiceException(where + ": the mapper returned null for " + item);
          }
          for (Object each : items) {
            next.push(epoch, each);
          }
        }
      };
    }
    if (step instanceof Step.Filter s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          if (s.predicate().test(item)) {
            next.push(epoch, item);
          }
        }
      };
    }
    if (step instanceof Step.Inspect s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          s.inspector().inspect(item);
          next.push(epoch, item);
        }
      };
    }
    if (step instanceof Step.InspectEpoch s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          s.inspector().inspect(epoch, item);
          next.push(epoch, item);
        }
      };
    }
    if (step instanceof Step.Capture s) {
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          Object output = s.asOutput() == null ? item : s.asOutput().map(item);
          capture(epoch, output);
          next.push(epoch, item);
        }
      };
    }
    if (step instanceof Step.ReduceEpochLocal s) {
      KeyValueStore<Bytes, byte[]> store =
          context.getStateStore(store(segment.index(), "local" + index));
      locals.add(store);
      return new Node(next) {
        @Override
        void push(long epoch, Object item) throws Exception {
          KV<Object, Object> kv = kv(item, where);
          Bytes key = Bytes.wrap(Wire.epochKey(epoch, keyBytes(kv.key())));
          byte[] old = store.get(key);
          Object aggregate =
              old == null
                  ? kv.value()
                  : reduce(s.reducer(), decode(old), kv.value(), kv.key(), where);
          store.put(key, ItemCodec.encode(aggregate));
        }

        @Override
        void advance(long frontier) throws Exception {
          for (KeyValue<Bytes, byte[]> entry : below(store, frontier, false)) {
            byte[] k = entry.key.get();
            Object key = ItemCodec.decode(k, 8, k.length - 8);
            store.delete(entry.key);
            next.push(Wire.epochOfKey(k), new KV<>(key, decode(entry.value)));
          }
          next.advance(frontier);
        }
      };
    }
    throw new IllegalArgumentException("not a step of a segment body: " + step.operator());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    timestamp = record.timestamp();
    try {
      load();
      if (segment.index() == 0) {
        fromInput(record);
      } else {
        fromExchange(record);
      }
    } catch (RuntimeException e) {
      if (e instanceof UserFailure || e instanceof SluiceException) {
        throw e;
      }
      throw new UserFailure(where(), e);
    } catch (Exception e) {
      throw new UserFailure(where(), e);
    }
  }

  private String where() {
    return "dataflow segment " + segment.index() + " on partition " + task;
  }

  private void load() {
    if (loaded) {
      return;
    }
    frontier = readLong("frontier", Long.MIN_VALUE);
    streamTime = readLong("stream-time", Long.MIN_VALUE);
    upstream = new long[plan.partitions];
    for (int i = 0; i < upstream.length; i++) {
      upstream[i] = readLong("wm-" + i, Long.MIN_VALUE);
    }
    loaded = true;
  }

  private long readLong(String key, long otherwise) {
    byte[] value = meta.get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
    return value == null ? otherwise : java.nio.ByteBuffer.wrap(value).getLong();
  }

  private void writeLong(String key, long value) {
    meta.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), Wire.longBytes(value));
  }

  private void fromInput(Record<byte[], byte[]> record) throws Exception {
    if (Wire.isEnd(record.headers())) {
      advanceTo(Long.MAX_VALUE);
      return;
    }
    if (frontier == Long.MAX_VALUE) {
      LOG.warn(
          "input {} partition {} ended; dropping a record read after its end",
          plan.inputTopic,
          task);
      return;
    }
    Long header = Wire.epoch(record.headers());
    long epoch = header != null ? header : Math.floorDiv(record.timestamp(), plan.epochMillis);
    if (epoch < frontier) {
      late++;
      LOG.warn(
          "input {} partition {}: dropping a late item of epoch {}; epochs below {} are closed"
              + " ({} late so far)",
          plan.inputTopic,
          task,
          epoch,
          frontier,
          late);
      return;
    }
    Object item;
    try {
      item = plan.inputCodec.decode(record.value());
    } catch (Exception e) {
      throw new SluiceException(
          "cannot decode a record of input "
              + plan.inputTopic
              + " partition "
              + task
              + " with "
              + plan.inputCodec.describe()
              + ": "
              + e,
          e);
    }
    long time;
    if (plan.graceMillis == 0) {
      time = epoch;
    } else {
      long itemTime = header != null ? saturatedTimes(epoch, plan.epochMillis) : record.timestamp();
      streamTime = Math.max(streamTime, itemTime);
      writeLong("stream-time", streamTime);
      time = Math.floorDiv(streamTime - plan.graceMillis, plan.epochMillis);
    }
    if (time > frontier) {
      advanceTo(time);
    }
    chain.push(epoch, item);
  }

  private static long saturatedTimes(long a, long b) {
    long r = a * b;
    if (a != 0 && (r / a != b)) {
      return a > 0 ? Long.MAX_VALUE - 1 : Long.MIN_VALUE + 1;
    }
    return r;
  }

  private void fromExchange(Record<byte[], byte[]> record) throws Exception {
    byte[] envelope = record.value();
    int source = Wire.source(envelope);
    long epoch = Wire.epochOf(envelope);
    if (Wire.kind(envelope) == Wire.WATERMARK) {
      mark(source, epoch);
      return;
    }
    mark(source, epoch);
    Object item = ItemCodec.decode(envelope, Wire.HEADER, envelope.length - Wire.HEADER);
    KV<Object, Object> kv = kv(item, where(segment.head(), segment.headIndex()));
    if (segment.head() instanceof Step.ReduceEpoch s) {
      Bytes key = Bytes.wrap(Wire.epochKey(epoch, keyBytes(kv.key())));
      byte[] old = head.get(key);
      Object aggregate =
          old == null
              ? kv.value()
              : reduce(s.reducer(), decode(old), kv.value(), kv.key(), headWhere());
      head.put(key, ItemCodec.encode(aggregate));
    } else if (epoch <= frontier) {
      ordered(epoch, kv);
    } else {
      long offset = context.recordMetadata().map(m -> m.offset()).orElse(0L);
      pending.put(Bytes.wrap(Wire.epochKey(epoch, Wire.longBytes(offset))), ItemCodec.encode(kv));
    }
  }

  private String headWhere() {
    return where(segment.head(), segment.headIndex());
  }

  private static String where(Step step, int index) {
    return step.operator() + " (step " + index + ")";
  }

  private void mark(int source, long epoch) throws Exception {
    if (epoch <= upstream[source]) {
      return;
    }
    upstream[source] = epoch;
    writeLong("wm-" + source, epoch);
    long min = Long.MAX_VALUE;
    for (long w : upstream) {
      min = Math.min(min, w);
    }
    if (min > frontier) {
      advanceTo(min);
    }
  }

  /** Moves the frontier: flushes the head's complete epochs, then the body's. */
  private void advanceTo(long to) throws Exception {
    frontier = to;
    writeLong("frontier", to);
    if (segment.head() instanceof Step.ReduceEpoch) {
      for (KeyValue<Bytes, byte[]> entry : below(head, to, false)) {
        byte[] k = entry.key.get();
        head.delete(entry.key);
        Object key = ItemCodec.decode(k, 8, k.length - 8);
        chain.push(Wire.epochOfKey(k), new KV<>(key, decode(entry.value)));
      }
    } else if (segment.head() != null) {
      for (KeyValue<Bytes, byte[]> entry : below(pending, to, true)) {
        pending.delete(entry.key);
        @SuppressWarnings("unchecked")
        KV<Object, Object> kv = (KV<Object, Object>) decode(entry.value);
        ordered(Wire.epochOfKey(entry.key.get()), kv);
      }
    }
    chain.advance(to);
    if (to == Long.MAX_VALUE && segment.captures()) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(Wire.END, null);
      byte[] marker =
          (plan.applicationId + "/" + segment.index() + "/" + task)
              .getBytes(StandardCharsets.UTF_8);
      context.forward(
          new Record<>(Wire.intBytes(task), marker, timestamp, headers),
          captureSink(segment.index()));
    }
  }

  /** Runs reduce or stateful_map on an item whose epoch is complete upstream. */
  private void ordered(long epoch, KV<Object, Object> kv) throws Exception {
    Bytes key = Bytes.wrap(keyBytes(kv.key()));
    byte[] old = head.get(key);
    if (segment.head() instanceof Step.Reduce s) {
      Object aggregate =
          old == null
              ? kv.value()
              : reduce(s.reducer(), decode(old), kv.value(), kv.key(), headWhere());
      if (s.isComplete().isComplete(aggregate)) {
        if (old != null) {
          head.delete(key);
        }
        chain.push(epoch, new KV<>(kv.key(), aggregate));
      } else {
        head.put(key, ItemCodec.encode(aggregate));
      }
    } else {
      Step.StatefulMap s = (Step.StatefulMap) segment.head();
      Object state = old == null ? s.builder().build(kv.key()) : decode(old);
      StateUpdate<Object, Object> update = s.mapper().map(state, kv.value());
      if (update == null) {
        throw new SluiceException(
            headWhere()
                + ": the mapper returned null for key "
                + kv.key()
                + "; return StateUpdate.of(state, output), with a null state to forget the key");
      }
      if (update.state() == null) {
        if (old != null) {
          head.delete(key);
        }
      } else {
        head.put(key, ItemCodec.encode(update.state()));
      }
      chain.push(epoch, new KV<>(kv.key(), update.output()));
    }
  }

  /** The entries of an epoch-keyed store below (or, inclusive, up to) an epoch, in order. */
  private static List<KeyValue<Bytes, byte[]>> below(
      KeyValueStore<Bytes, byte[]> store, long epoch, boolean inclusive) {
    List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
    if (!inclusive && epoch == Long.MIN_VALUE) {
      return entries;
    }
    Bytes from = Bytes.wrap(new byte[0]);
    Bytes to;
    if (inclusive && epoch == Long.MAX_VALUE) {
      byte[] all = new byte[17];
      Arrays.fill(all, (byte) 0xFF);
      to = Bytes.wrap(all);
    } else {
      to = Bytes.wrap(Wire.longBytes((inclusive ? epoch + 1 : epoch) ^ Long.MIN_VALUE));
    }
    try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (entry.key.get().length >= 8) {
          long e = Wire.epochOfKey(entry.key.get());
          if (inclusive ? e <= epoch : e < epoch) {
            entries.add(entry);
          }
        }
      }
    }
    return entries;
  }

  private void capture(long epoch, Object output) throws Exception {
    byte[] value;
    try {
      value = plan.outputCodec.encode(output);
    } catch (Exception e) {
      throw new SluiceException(
          "cannot encode a captured item with " + plan.outputCodec.describe() + ": " + e, e);
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(Wire.EPOCH, Wire.longBytes(epoch));
    context.forward(
        new Record<>(Wire.intBytes(task), value, timestamp, headers), captureSink(segment.index()));
  }

  private static Object decode(byte[] bytes) {
    return ItemCodec.decode(bytes);
  }

  private static byte[] keyBytes(Object key) {
    return ItemCodec.encode(key);
  }

  private static Object reduce(
      dev.sluice.dataflow.Reducer<Object> reducer,
      Object aggregate,
      Object value,
      Object key,
      String where)
      throws Exception {
    Object result = reducer.reduce(aggregate, value);
    if (result == null) {
      throw new SluiceException(where + ": the reducer returned null for key " + key);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static KV<Object, Object> kv(Object item, String where) {
    if (item instanceof KV<?, ?> kv) {
      if (kv.value() == null) {
        throw new SluiceException(where + " takes KV items with a non-null value; got " + kv);
      }
      return (KV<Object, Object>) kv;
    }
    throw new SluiceException(
        where
            + " takes KV items; got "
            + (item == null ? "null" : item.getClass().getName() + ": " + item));
  }

  /** One step of the segment's chain. */
  abstract static class Node {
    final Node next;

    Node(Node next) {
      this.next = next;
    }

    abstract void push(long epoch, Object item) throws Exception;

    void advance(long frontier) throws Exception {
      next.advance(frontier);
    }
  }

  private static final class End extends Node {
    End() {
      super(null);
    }

    @Override
    void push(long epoch, Object item) {}

    @Override
    void advance(long frontier) {}
  }

  /** Sends items to the task that owns their key, and watermarks to every task. */
  private final class Exchange extends Node {
    private final Step step = plan.segments.get(segment.index() + 1).head();
    private final int stepIndex = plan.segments.get(segment.index() + 1).headIndex();
    private long sent = Long.MIN_VALUE;

    Exchange() {
      super(null);
    }

    @Override
    void push(long epoch, Object item) {
      KV<Object, Object> kv = kv(item, where(step, stepIndex));
      int target = plan.routing.workerFor(kv.key(), plan.partitions);
      byte[] value = Wire.envelope(Wire.DATA, task, epoch, target, ItemCodec.encode(kv));
      context.forward(new Record<>(null, value, timestamp), exchangeSink(segment.index()));
    }

    @Override
    void advance(long frontier) {
      if (frontier > sent) {
        sent = frontier;
        byte[] value = Wire.envelope(Wire.WATERMARK, task, frontier, -1, null);
        context.forward(new Record<>(null, value, timestamp), exchangeSink(segment.index()));
      }
    }
  }
}
