package dev.sluice.pipeline;

/** One worker's counts for the batch in hand; added to the step's counters once per batch. */
final class Tally {
  long in;
  long out;
  long filtered;
  long stopped;

  void reset() {
    in = 0;
    out = 0;
    filtered = 0;
    stopped = 0;
  }
}
