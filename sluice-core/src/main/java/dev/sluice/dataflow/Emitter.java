package dev.sluice.dataflow;

/** Anything in a worker's chain that passes items on: a step, a stage head, the input. */
abstract class Emitter {
  /** Where results go; set once while the chain is built. */
  Node next;
}
