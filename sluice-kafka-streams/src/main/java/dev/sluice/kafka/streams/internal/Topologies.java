package dev.sluice.kafka.streams.internal;

import dev.sluice.dataflow.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/** Translates a {@link Plan} into a Kafka Streams {@link Topology}. */
public final class Topologies {
  private Topologies() {}

  /** The topology: per segment a source, the segment's processor, its stores and sinks. */
  public static Topology build(Plan plan) {
    Topology topology = new Topology();
    for (Plan.Segment segment : plan.segments) {
      int k = segment.index();
      String source = "s" + k + "-source";
      String topic = k == 0 ? plan.inputTopic : plan.exchangeTopic(k);
      topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
      String processor = "s" + k;
      topology.addProcessor(processor, () -> new SegmentProcessor(plan, k), source);
      for (String store : stores(segment)) {
        topology.addStateStore(
            Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(java.util.Map.of()),
            processor);
      }
      if (segment.captures()) {
        topology.addSink(
            SegmentProcessor.captureSink(k),
            plan.outputTopic,
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            new ByKeyPartition(),
            processor);
      }
      if (segment.exchanges()) {
        topology.addSink(
            SegmentProcessor.exchangeSink(k),
            plan.exchangeTopic(k + 1),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            new Multicast(),
            processor);
      }
    }
    return topology;
  }

  /** The names of segment's state stores. */
  static List<String> stores(Plan.Segment segment) {
    int k = segment.index();
    List<String> stores = new ArrayList<>();
    stores.add(SegmentProcessor.store(k, "meta"));
    if (segment.head() != null) {
      stores.add(SegmentProcessor.store(k, "head"));
      if (!(segment.head() instanceof Step.ReduceEpoch)) {
        stores.add(SegmentProcessor.store(k, "pending"));
      }
    }
    for (int i = 0; i < segment.body().size(); i++) {
      if (segment.body().get(i) instanceof Step.ReduceEpochLocal) {
        stores.add(SegmentProcessor.store(k, "local" + segment.bodyIndexes().get(i)));
      }
    }
    return stores;
  }

  /** Captures go to the output partition of the task that captured them (the key). */
  private static final class ByKeyPartition implements StreamPartitioner<byte[], byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, byte[] key, byte[] value, int numPartitions) {
      int task = java.nio.ByteBuffer.wrap(key).getInt();
      return Optional.of(Set.of(task % numPartitions));
    }
  }

  /** Items go to the partition of their key's owner; watermarks to every partition. */
  private static final class Multicast implements StreamPartitioner<byte[], byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, byte[] key, byte[] value, int numPartitions) {
      if (Wire.kind(value) == Wire.WATERMARK) {
        return Optional.of(
            IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
      }
      return Optional.of(Set.of(Wire.target(value)));
    }
  }
}
