package dev.sluice.cli;

import dev.sluice.SluiceException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code sluice} command. Exit status 0 on success, 1 when a command fails, 2 when the command
 * line is wrong; every error is one {@code sluice: …} line on standard error (with the stack trace
 * only after {@code --verbose}).
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0-SNAPSHOT",
    usageHelpWidth = 100,
    description = "Java stream processing for humans: persistent streams, windowed consumers.",
    subcommands = {
      DemoCommand.class,
      AppendCommand.class,
      StreamsCommand.class,
      InfoCommand.class,
      TailCommand.class,
      DropCommand.class,
      DlqCommand.class,
      ServeCommand.class,
      RunCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit status of a command that failed. */
  static final int FAILED = 1;

  /** Exit status of a wrong command line (unknown option, bad or missing value). */
  static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log what the store does, and print stack traces with errors.")
  boolean verbose;

  /** Runs the command line and exits with its status. */
  public static void main(String[] argv) {
    String[] args = Arguments.utf8(argv);
    boolean verbose = verbose(args);
    // The CLI reports failures itself, in one line; the log is for --verbose.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
    // UTF-8 whatever the platform charset, and unbuffered by System.out: a write error must show.
    PrintWriter out = utf8(FileDescriptor.out);
    PrintWriter err = utf8(FileDescriptor.err);
    int status = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  private static PrintWriter utf8(FileDescriptor fd) {
    return new PrintWriter(
        new OutputStreamWriter(
            new BufferedOutputStream(new FileOutputStream(fd), 1 << 16), StandardCharsets.UTF_8),
        false);
  }

  private static boolean verbose(String[] args) {
    int end = Arrays.asList(args).indexOf("--");
    return Arrays.asList(args).subList(0, end < 0 ? args.length : end).contains("--verbose");
  }

  /** Runs the command line with the given output streams and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = verbose(args);
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, params) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("sluice: " + e.getMessage() + "; see ./sluice help " + path(c));
          c.getErr().flush();
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          w.println("sluice: " + Errors.describe(e));
          if (verbose) {
            e.printStackTrace(w);
          }
          w.flush();
          return FAILED;
        });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static String path(CommandLine c) {
    String name = c.getCommandSpec().qualifiedName(" ");
    return name.startsWith("sluice") ? name.substring("sluice".length()).trim() : name;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Turns an exception into one line that says what went wrong and, where known, what to do. */
  static final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof Output.OutputFailed) {
          return t.getMessage();
        }
      }
      if (e instanceof SluiceException || e instanceof IllegalArgumentException) {
        return e.getMessage();
      }
      if (e instanceof UncheckedIOException u) {
        return u.getCause().toString();
      }
      return e + " (run again with --verbose for the stack trace)";
    }
  }
}
