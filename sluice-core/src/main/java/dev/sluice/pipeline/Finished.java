package dev.sluice.pipeline;

/**
 * An item ended early by {@link Step#stopWith(Object)}: it rides along in its batch, in its place,
 * past the remaining steps of the chain that owns it, and is unwrapped at that chain's end.
 */
final class Finished {
  final Object value;
  final Chain owner;

  Finished(Object value, Chain owner) {
    this.value = value;
    this.owner = owner;
  }
}
