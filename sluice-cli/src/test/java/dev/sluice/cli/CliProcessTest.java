package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code sluice} command in a child JVM: pipes, locales, file permissions. */
class CliProcessTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;

  private record Done(int status, String out, String err) {}

  private static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  private List<String> command(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>(List.of(JAVA, QUICK_START, "-cp", classpath()));
    cmd.addAll(jvmOptions);
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private String store() {
    return "sqlite:" + dir.resolve("store");
  }

  private static Done run(ProcessBuilder pb, byte[] stdin) throws Exception {
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Done(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** Issue 10 item 1: a window is committed only once its output got out. */
  @Test
  void aGroupTailWhoseReaderWentAwayCommitsNothingMoreAndExitsNonZero() throws Exception {
    try (Store s = Sluice.open(store())) {
      var stream = s.stream("s");
      ProcessBuilder pb =
          new ProcessBuilder(
              command(
                  List.of(),
                  "tail",
                  "s",
                  "--store",
                  store(),
                  "--group",
                  "g",
                  "--size",
                  "1",
                  "--follow"));
      pb.redirectError(dir.resolve("tail.err").toFile());
      Process tail = pb.start();
      try {
        stream.append(Map.of("n", 1));
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).contains("\"values\":[{\"n\":1}]");
        tail.getInputStream().close(); // as `head -1` exits
        for (int n = 2; n <= 5 && tail.isAlive(); n++) {
          stream.append(Map.of("n", n));
          tail.waitFor(1, TimeUnit.SECONDS);
        }
        assertThat(tail.waitFor(30, TimeUnit.SECONDS)).as("the tail exits").isTrue();
        assertThat(tail.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("tail.err")))
            .contains("sluice: cannot write to standard output")
            .doesNotContain("\tat ");
      } finally {
        tail.destroyForcibly().waitFor();
      }
      long appended = stream.metadata().recordCount();
      assertThat(s.stream("s").groups())
          .singleElement()
          .satisfies(g -> assertThat(g.committed()).isEqualTo(1));
      // a second consumer of the group gets every record the first one could not print
      List<Object> again = new ArrayList<>();
      var consumer = s.streaming("s").group("g").size(1);
      while (consumer.once(w -> again.addAll(w.data()))) {
        // each window in turn
      }
      assertThat(again).hasSize((int) appended - 1).first().isEqualTo(Map.of("n", 2));
    }
    // and so does the CLI's own group tail, however often its reader went away before
    Done next =
        run(
            new ProcessBuilder(
                command(List.of(), "tail", "s", "--store", store(), "--group", "g2", "--max", "1")),
            new byte[0]);
    assertThat(next.status()).as(next.err()).isZero();
  }

  /** Issue 10 item 1: a group tail stopped by its reader N times still prints the window. */
  @Test
  void aWindowThatCouldNotBePrintedIsPrintedByTheNextGroupTail() throws Exception {
    try (Store s = Sluice.open(store())) {
      s.stream("s").append(Map.of("n", 1));
    }
    for (int i = 0;
        i < 3;
        i++) { // Retry.none() would stop at the 2nd claim, the default at the 6th
      Process tail =
          new ProcessBuilder(
                  command(
                      List.of(), "tail", "s", "--store", store(), "--group", "g", "--size", "1"))
              .start();
      tail.getInputStream().close(); // the reader went away before anything was printed
      assertThat(tail.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(tail.exitValue())
          .as(new String(tail.getErrorStream().readAllBytes()))
          .isEqualTo(1);
    }
    Done printed =
        run(
            new ProcessBuilder(
                command(List.of(), "tail", "s", "--store", store(), "--group", "g", "--size", "1")),
            new byte[0]);
    assertThat(printed.status()).as(printed.err()).isZero();
    assertThat(printed.out()).contains("\"values\":[{\"n\":1}]");
    try (Store s = Sluice.open(store())) {
      assertThat(s.metadata("s.dlq")).isEmpty();
      assertThat(s.stream("s").groups())
          .singleElement()
          .satisfies(g -> assertThat(g.committed()).isEqualTo(1));
    }
  }

  /** Issue 10 item 3: text is UTF-8 whatever the platform charset; bad UTF-8 is an error. */
  @Test
  void textIsUtf8UnderACLocaleAndInvalidUtf8IsAnErrorNamingTheLine() throws Exception {
    List<String> ascii =
        List.of(
            "-Dfile.encoding=ANSI_X3.4-1968",
            "-Dstdout.encoding=ANSI_X3.4-1968",
            "-Dsun.stdout.encoding=ANSI_X3.4-1968");
    ProcessBuilder append =
        new ProcessBuilder(
            command(ascii, "append", "u", "--store", store(), "{\"name\":\"héllo\"}"));
    append.environment().put("LANG", "C");
    append.environment().put("LC_ALL", "C");
    Done appended = run(append, new byte[0]);
    assertThat(appended.status()).as(appended.err()).isZero();

    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] lines = "{\"name\":\"wörld\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[bom.length + lines.length];
    System.arraycopy(bom, 0, withBom, 0, 3);
    System.arraycopy(lines, 0, withBom, 3, lines.length);
    ProcessBuilder stdin = new ProcessBuilder(command(ascii, "append", "u", "--store", store()));
    stdin.environment().put("LC_ALL", "C");
    Done piped = run(stdin, withBom);
    assertThat(piped.status()).as(piped.err()).isZero();

    ProcessBuilder tail = new ProcessBuilder(command(ascii, "tail", "u", "--store", store()));
    tail.environment().put("LC_ALL", "C");
    Done printed = run(tail, new byte[0]);
    assertThat(printed.out())
        .contains("\"value\":{\"name\":\"héllo\"}")
        .contains("\"value\":{\"name\":\"wörld\"}");

    Path latin1 = dir.resolve("latin1.ndjson");
    Files.write(
        latin1, "{\"a\":1}\n{\"name\":\"h\u00e9llo\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    ProcessBuilder bad =
        new ProcessBuilder(
            command(ascii, "append", "v", "--store", store(), "--file", latin1 + ""));
    Done refused = run(bad, new byte[0]);
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err())
        .startsWith("sluice: " + latin1 + " line 2 is not valid UTF-8 (byte 0xE9")
        .contains("nothing was appended")
        .doesNotContain("\tat ");
    try (Store s = Sluice.open(store())) {
      assertThat(s.metadata("v")).isEmpty();
    }
  }

  /** Issue 10 item 11: a damaged store is one line, and the stack trace only with --verbose. */
  @Test
  void aDamagedStoreIsOneLineAndTheTraceOnlyWithVerbose() throws Exception {
    try (Store s = Sluice.open(store())) {
      s.stream("s").append(Map.of("a", 1));
    }
    try (var c =
            java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"));
        var st = c.createStatement()) {
      st.execute("UPDATE meta SET value = 'x' WHERE key = 'format_version'");
    }
    Done plain =
        run(new ProcessBuilder(command(List.of(), "streams", "--store", store())), new byte[0]);
    assertThat(plain.status()).isEqualTo(1);
    assertThat(plain.err().lines())
        .singleElement()
        .asString()
        .startsWith("sluice: ")
        .contains("format_version")
        .contains("\"x\"");
    Done verbose =
        run(
            new ProcessBuilder(command(List.of(), "streams", "--verbose", "--store", store())),
            new byte[0]);
    assertThat(verbose.status()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ");
  }

  /**
   * Issue 10 item 15: a store the user may read but not write can be inspected. As root the command
   * runs as the user nobody (setpriv), since root may write anywhere.
   */
  @Test
  void readOnlyCommandsWorkOnAStoreTheUserCannotWrite() throws Exception {
    try (Store s = Sluice.open(store())) {
      s.stream("orders").append(Map.of("id", 1));
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> prefix = new ArrayList<>();
    String cp;
    if (root) {
      Path setpriv = Path.of("/usr/bin/setpriv");
      assertThat(setpriv)
          .as("this test runs the CLI as nobody with setpriv: apt-get install util-linux")
          .exists();
      prefix.addAll(List.of(setpriv + "", "--reuid=65534", "--regid=65534", "--clear-groups"));
      cp = readableCopyOfTheClasspath();
      chmod(dir, "rwxr-xr-x");
    } else {
      cp = classpath();
      try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
        for (Path f : files.toList()) {
          chmod(f, Files.isDirectory(f) ? "r-xr-xr-x" : "r--r--r--");
        }
      }
    }
    try {
      Map<String, String> expected =
          Map.of(
              "streams", "orders",
              "info orders", "records:      1",
              "tail orders", "\"value\":{\"id\":1}",
              "dlq list orders", "");
      for (var e : expected.entrySet()) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(JAVA, QUICK_START, "-cp", cp, Main.class.getName()));
        cmd.addAll(List.of(e.getKey().split(" ")));
        cmd.addAll(List.of("--store", store()));
        Done done = run(new ProcessBuilder(cmd), new byte[0]);
        if (e.getKey().startsWith("dlq")) {
          assertThat(done.err())
              .isEqualTo("sluice: no dead letters for \"orders\" in " + store() + "\n");
          continue;
        }
        assertThat(done.status()).as(e.getKey() + ": " + done.err()).isZero();
        assertThat(done.out()).as(e.getKey()).contains(e.getValue());
      }
      List<String> cmd = new ArrayList<>(prefix);
      cmd.addAll(
          List.of(JAVA, QUICK_START, "-cp", cp, Main.class.getName(), "append", "orders", "{}"));
      cmd.addAll(List.of("--store", store()));
      Done refused = run(new ProcessBuilder(cmd), new byte[0]);
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).startsWith("sluice: ").doesNotContain("\tat ");
    } finally {
      if (!root) {
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
          for (Path f : files.toList()) {
            chmod(f, Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--");
          }
        }
      }
    }
  }

  private String readableCopyOfTheClasspath() throws IOException {
    Path copy = dir.resolve("cp");
    Files.createDirectories(copy);
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : classpath().split(java.io.File.pathSeparator)) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = copy.resolve(i++ + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        try (Stream<Path> files = Files.walk(from)) {
          for (Path f : files.toList()) {
            Path target = to.resolve(from.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(target);
            } else {
              Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } else {
        Files.copy(from, to);
      }
      entries.add(to.toString());
    }
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path f : files.toList()) {
        chmod(f, Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--");
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static void chmod(Path p, String perms) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  /** Issue 10 item 13: an append stopped by a signal says what it stored and how to resume. */
  @Test
  void anAppendStoppedBySigtermSaysHowManyRecordsItStoredAndWhereToResume() throws Exception {
    Process append =
        new ProcessBuilder(
                command(List.of(), "append", "s", "--store", store(), "--batch-size", "5"))
            .redirectError(dir.resolve("append.err").toFile())
            .start();
    try {
      var stdin = append.getOutputStream();
      for (int i = 0; i < 12; i++) {
        stdin.write(("{\"i\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
      stdin.flush(); // and kept open: the command waits for more
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(dir.resolve("store").resolve("sluice.db")) || stored() < 10) {
        assertThat(System.nanoTime()).as("two batches stored").isLessThan(deadline);
        Thread.sleep(50);
      }
      // SIGTERM, with standard input still open (Process.destroy would close it first)
      Process kill = new ProcessBuilder("kill", "-TERM", "" + append.pid()).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(append.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(dir.resolve("append.err"));
      assertThat(err)
          .isEqualTo(
              "sluice: stopped by a signal; stored 10 records (offsets 0..9) from lines 1..10;"
                  + " line 11 and after were not stored; to go on from there, run the command"
                  + " again with --skip 10\n");
    } finally {
      append.destroyForcibly().waitFor();
    }
    assertThat(stored()).isEqualTo(10);
  }

  private long stored() {
    try (Store s = Sluice.open(store())) {
      return s.metadata("s").map(m -> m.recordCount()).orElse(0L);
    }
  }
}
