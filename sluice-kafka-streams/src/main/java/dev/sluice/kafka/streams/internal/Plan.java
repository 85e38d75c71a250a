package dev.sluice.kafka.streams.internal;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.KeyRouting;
import dev.sluice.dataflow.Step;
import dev.sluice.spi.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Dataflow} cut into segments at its keyed steps: segment 0 reads the input topic, and
 * each keyed step starts a segment that reads the exchange topic the segment before it writes.
 * Every topic of a run has the same partition count, so task {@code p} of every segment is the
 * local engine's worker {@code p}. Immutable.
 */
public final class Plan {
  /**
   * One segment: an optional keyed head step, the steps after it up to the next keyed step, and
   * whether it ends in an exchange.
   */
  record Segment(
      int index,
      Step head,
      int headIndex,
      List<Step> body,
      List<Integer> bodyIndexes,
      boolean exchanges,
      boolean captures) {}

  final String applicationId;
  final String inputTopic;
  final String outputTopic;
  final int partitions;
  final long epochMillis;
  final long graceMillis;
  final Codec<Object> inputCodec;
  final Codec<Object> outputCodec;
  final KeyRouting routing;
  final List<Segment> segments;

  Plan(
      Dataflow<?, ?> flow,
      String applicationId,
      String inputTopic,
      String outputTopic,
      int partitions,
      long epochMillis,
      long graceMillis,
      Codec<Object> inputCodec,
      Codec<Object> outputCodec) {
    this.applicationId = applicationId;
    this.inputTopic = inputTopic;
    this.outputTopic = outputTopic;
    this.partitions = partitions;
    this.epochMillis = epochMillis;
    this.graceMillis = graceMillis;
    this.inputCodec = inputCodec;
    this.outputCodec = outputCodec;
    this.routing = flow.routing();
    this.segments = cut(flow.steps());
  }

  private static List<Segment> cut(List<Step> steps) {
    List<Segment> segments = new ArrayList<>();
    Step head = null;
    int headIndex = -1;
    List<Step> body = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    boolean captures = false;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.exchangesByKey()) {
        segments.add(
            new Segment(
                segments.size(),
                head,
                headIndex,
                List.copyOf(body),
                List.copyOf(indexes),
                true,
                captures));
        head = step;
        headIndex = i;
        body.clear();
        indexes.clear();
        captures = false;
      } else {
        body.add(step);
        indexes.add(i);
        captures |= step instanceof Step.Capture;
      }
    }
    segments.add(
        new Segment(
            segments.size(),
            head,
            headIndex,
            List.copyOf(body),
            List.copyOf(indexes),
            false,
            captures));
    return List.copyOf(segments);
  }

  /** The topic segment {@code k} (k ≥ 1) reads and segment {@code k - 1} writes. */
  String exchangeTopic(int k) {
    return applicationId + "-sluice-exchange-" + k;
  }

  /** The exchange topics of the run, in order. */
  public List<String> exchangeTopics() {
    List<String> topics = new ArrayList<>();
    for (int k = 1; k < segments.size(); k++) {
      topics.add(exchangeTopic(k));
    }
    return topics;
  }

  /** How many end markers a finished run leaves on the output topic: one per capturing task. */
  public int endMarkers() {
    int capturing = 0;
    for (Segment s : segments) {
      if (s.captures()) {
        capturing++;
      }
    }
    return capturing * partitions;
  }

  /** The application id, which end markers on the output carry. */
  public String applicationId() {
    return applicationId;
  }

  /** The partition count of every topic of the run. */
  public int partitions() {
    return partitions;
  }
}
