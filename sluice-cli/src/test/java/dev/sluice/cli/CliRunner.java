package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in this JVM against one store directory. */
record CliRunner(Path storeDir) {
  record Result(int status, String out, String err) {}

  String url() {
    return "sqlite:" + storeDir;
  }

  /** Runs a command with {@code --store} added after the (sub)command. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    int at = args[0].equals("dlq") ? 2 : 1; // after the subcommand that takes --store
    all.add(at, "--store");
    all.add(at + 1, url());
    return raw(all.toArray(String[]::new));
  }

  /** Runs a command line as given. */
  static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  /** Runs a command line as given, with what it prints going to {@code out} as it goes. */
  static int raw(StringWriter out, StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Writes {@code lines} lines {@code {"i":n}}, the one at index {@code bad} not JSON. */
  static Path ndjsonWithABadLine(Path file, int lines, int bad) throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      text.append(i == bad ? "{oops\n" : "{\"i\":" + i + "}\n");
    }
    return java.nio.file.Files.writeString(file, text);
  }
}
