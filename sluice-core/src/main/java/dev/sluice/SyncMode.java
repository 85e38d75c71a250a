package dev.sluice;

/** How durable an append is once it returns. */
public enum SyncMode {
  /** Survives a crash of the process (SQLite {@code synchronous=NORMAL} in WAL mode). */
  NORMAL,
  /** Survives power loss: every commit is fsynced (SQLite {@code synchronous=FULL}). */
  FULL
}
