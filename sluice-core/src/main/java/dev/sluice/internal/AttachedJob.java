package dev.sluice.internal;

import dev.sluice.EventStream;
import dev.sluice.JobMetrics;
import dev.sluice.StreamingJob;
import java.time.Duration;
import java.util.Optional;

/** A backend runtime's job with the source that feeds its stream; closing one closes both. */
final class AttachedJob implements StreamingJob {
  private final StreamingJob job;
  private final EventStream.Attachment attachment;

  AttachedJob(StreamingJob job, EventStream.Attachment attachment) {
    this.job = job;
    this.attachment = attachment;
  }

  @Override
  public State state() {
    return job.state();
  }

  @Override
  public void stop() {
    attachment.close();
    job.stop();
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    job.awaitTermination();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return job.awaitTermination(timeout);
  }

  @Override
  public boolean isRunning() {
    return job.isRunning();
  }

  @Override
  public Optional<Throwable> failure() {
    return job.failure();
  }

  @Override
  public JobMetrics metrics() {
    return job.metrics();
  }

  @Override
  public void close() {
    attachment.close();
    job.close();
  }

  @Override
  public String toString() {
    return job.toString();
  }
}
