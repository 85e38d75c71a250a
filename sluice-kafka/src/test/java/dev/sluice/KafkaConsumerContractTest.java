package dev.sluice;

import dev.sluice.kafka.KafkaBroker;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The consumer contract on Kafka consumer groups. The cases Kafka cannot meet are disabled here,
 * each with its reason; docs/KAFKA.md lists every difference.
 */
class KafkaConsumerContractTest extends ConsumerContractTest {
  private static KafkaBroker broker;
  private final String url =
      "kafka://"
          + broker.bootstrap()
          + "?prefix=c"
          + UUID.randomUUID().toString().substring(0, 8)
          + ".";

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Override
  protected String url() {
    return url;
  }

  @Test
  @Override
  @Disabled(
      "Kafka's group metadata has committed offsets and lag, not window counters (windowsDone is in job.metrics()); KafkaConsumerTest checks windows and commits")
  void countWindowsHoldEveryRecordOnceAndCommit() {}

  @Test
  @Override
  @Disabled("window times are broker timestamps (LogAppendTime), not the store's ManualClock")
  void windowsCarryIdsOffsetsTimesAndAttempts() {}

  @Test
  @Override
  @Disabled(
      "records are stamped by the broker, so the ManualClock cannot place them and no timestamp floor can be raised; KafkaConsumerTest checks time windows on broker timestamps")
  void fixedWindowsAreHalfOpenAndCloseTheFloor() {}

  @Test
  @Override
  @Disabled("driven by the ManualClock, which does not stamp Kafka records")
  void emptyWindowsOnlyWhenAsked() {}

  @Test
  @Override
  @Disabled(
      "startFrom(Instant) is compared with broker timestamps, which the ManualClock does not set")
  void startFromLatestOffsetAndTime() {}

  @Test
  @Override
  @Disabled(
      "a backoff is not kept between once() calls on Kafka (once() retries within the call); KafkaConsumerTest checks retry, record by record and .dlq")
  void retriesThenRecordByRecordThenDeadLetters() {}

  @Test
  @Override
  @Disabled(
      "an undecodable record is dead-lettered on arrival and not counted in its window's range")
  void undecodableRecordsAreDeadLetteredOneByOne() {}

  @Test
  @Override
  @Disabled(
      "no leases on Kafka: group membership (session timeout) decides, and a member thrown out has its commit refused; ConsumerKillTest checks takeover")
  void aSlowWorkerPastItsLeaseCannotCommit() {}

  @Test
  @Override
  @Disabled("attempts are not carried from one member to the next on Kafka")
  void stopReleasesClaimsForOthersAtOnce() {}

  @Test
  @Override
  @Disabled(
      "parallelism comes from partitions: this suite's streams have one partition, so one member works at a time; KafkaConsumerTest runs two workers on three partitions")
  void fiveWorkersHandleWindowsAtOnceEachOnce() {}

  @Test
  @Override
  @Disabled("clear() is refused on Kafka (no CLEAR capability)")
  void clearingTheStreamStopsItsConsumersLoudly() {}

  @Test
  @Override
  @Disabled("Retention.untilConsumed() is refused on Kafka (no RETENTION_UNTIL_CONSUMED)")
  void untilConsumedDeletesOnlyWhatEveryGroupCommitted() {}

  @Test
  @Override
  @Disabled("Retention.count is refused on Kafka; time retention is the broker's, on its own clock")
  void countAndTimeRetentionMoveLaggingGroupsOnAndCountTheLoss() {}

  @Test
  @Override
  @Disabled("retention is enforced by the broker on its clock, not by Sluice on the ManualClock")
  void retentionIsEnforcedInTheBackgroundWithoutAnyConsumerOnTheManualClock() {}

  @Test
  @Override
  @Disabled(
      "group expiry is the broker's offsets.retention.minutes, not groupExpiry on the ManualClock")
  void idleGroupsExpire() {}
}
