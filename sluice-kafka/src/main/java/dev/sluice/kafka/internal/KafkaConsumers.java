package dev.sluice.kafka.internal;

import dev.sluice.GroupMetadata;
import dev.sluice.StoreException;
import dev.sluice.StreamingJob;
import dev.sluice.spi.consumer.ConsumerRuntime;
import dev.sluice.spi.consumer.ConsumerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Sluice consumers on Kafka consumer groups: each Sluice group of a stream is the Kafka consumer
 * group {@code sluice.<topic>.<group>}, and each worker of a job is a member of it.
 */
final class KafkaConsumers implements ConsumerRuntime {
  /** How long {@link #once} waits to join the group and read its partitions to their end. */
  private static final Duration ONCE_PATIENCE = Duration.ofSeconds(15);

  private final KafkaBackend backend;
  private final Set<KafkaJob<?>> running = ConcurrentHashMap.newKeySet();

  KafkaConsumers(KafkaBackend backend) {
    this.backend = backend;
  }

  @Override
  public <T> StreamingJob start(ConsumerSpec<T> spec) {
    prepare(spec);
    KafkaJob<T> job = new KafkaJob<>(this, backend, spec);
    running.add(job);
    return job;
  }

  @Override
  public <T> boolean once(ConsumerSpec<T> spec) {
    prepare(spec);
    return new GroupWorker<>(backend, spec, new JobCounters()).once(ONCE_PATIENCE);
  }

  private void prepare(ConsumerSpec<?> spec) {
    if (spec.retention() != null) {
      backend.retention(spec.stream(), spec.retention());
    }
  }

  void ended(KafkaJob<?> job) {
    running.remove(job);
  }

  void stopAll() {
    for (KafkaJob<?> job : List.copyOf(running)) {
      job.close();
    }
  }

  @Override
  public List<GroupMetadata> groups(String stream) {
    String topic = backend.topic(stream);
    String prefix = GroupWorker.groupId(topic, "");
    try {
      List<GroupMetadata> out = new ArrayList<>();
      var listings =
          backend
              .admin()
              .listGroups(org.apache.kafka.clients.admin.ListGroupsOptions.forConsumerGroups())
              .all()
              .get(30, TimeUnit.SECONDS);
      List<String> ids =
          listings.stream()
              .map(g -> g.groupId())
              .filter(id -> id.startsWith(prefix))
              .sorted()
              .toList();
      if (ids.isEmpty()) {
        return out;
      }
      int partitions = backend.partitions(stream);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          backend
              .admin()
              .listOffsets(
                  latest,
                  new org.apache.kafka.clients.admin.ListOffsetsOptions(
                      IsolationLevel.READ_COMMITTED))
              .all()
              .get(30, TimeUnit.SECONDS);
      for (String id : ids) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            backend
                .admin()
                .listConsumerGroupOffsets(id)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        long sum = 0;
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : ends.entrySet()) {
          OffsetAndMetadata c = committed.get(e.getKey());
          long at = c == null ? 0 : c.offset();
          sum += at;
          lag += Math.max(0, e.getValue().offset() - at);
        }
        out.add(
            new GroupMetadata(id.substring(prefix.length()), sum, sum, lag, null, 0, 0, 0, 0, 0));
      }
      return out;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new StoreException(
          "could not read the consumer groups of " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("could not read the consumer groups of " + topic + ": " + e, e);
    }
  }
}
