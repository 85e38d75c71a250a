package dev.sluice;

/**
 * How durable an append is once it returns. Each backend says in its docs how it provides each mode
 * (the embedded store: docs/STORE.md).
 */
public enum SyncMode {
  /** Survives a crash of the process; a crash of the machine may lose the last commits. */
  NORMAL,
  /** Survives a crash of the machine or power loss: every commit reaches stable storage. */
  FULL
}
