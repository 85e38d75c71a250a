package dev.sluice.cli;

import java.io.PrintWriter;

/** Checks that what the CLI printed got out, before anything is committed on the strength of it. */
final class Output {
  private Output() {}

  /**
   * Flushes {@code out} and fails if writing failed (a closed pipe, a full disk): a {@link
   * PrintWriter} swallows the error otherwise.
   *
   * @throws OutputFailed if any write to {@code out} failed
   */
  static void check(PrintWriter out) {
    if (out.checkError()) {
      throw new OutputFailed();
    }
  }

  /** Standard output failed; what was not printed must not count as delivered. */
  static final class OutputFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputFailed() {
      super(
          "cannot write to standard output (closed pipe or full disk); stopped, and what was not"
              + " printed was not committed");
    }
  }
}
