package dev.sluice.pipeline;

import dev.sluice.SluiceException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pipeline run failed, was interrupted or was closed.
 *
 * <p>When a step, the feed, the sink or a union's joiner failed, {@link #getCause()} is the
 * original failure (a Java {@link Error} included), {@link #step()} names the step and {@link
 * #batchSequence()} gives the sequence number of the batch it was processing. Only the first
 * failure of a run is reported; it cancelled everything else.
 */
public class PipelineException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String step;
  private final long batchSequence;

  PipelineException(String message, String step, long batchSequence, Throwable cause) {
    super(message, cause);
    this.step = step;
    this.batchSequence = batchSequence;
  }

  PipelineException(String message) {
    this(message, null, -1, null);
  }

  /**
   * The name of the step that failed: a step name (inside a union {@code union/branch/step}), a
   * union's name when its joiner failed; empty when the feed, the sink or the run itself failed.
   */
  public Optional<String> step() {
    return Optional.ofNullable(step);
  }

  /**
   * The sequence number of the batch being processed when the failure happened (batches are
   * numbered from 0 in feed order); empty when no batch was involved.
   */
  public OptionalLong batchSequence() {
    return batchSequence < 0 ? OptionalLong.empty() : OptionalLong.of(batchSequence);
  }
}
