package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads execution arguments from a command line or the environment, as bytewax's {@code
 * bytewax.parse}: {@code clusterArgs} ({@code -w}, {@code -n}), {@code procArgs} ({@code -w},
 * {@code -p}, {@code -a} repeated) and {@code procEnv}.
 *
 * <p>A flag's value may follow it ({@code -w 2}), be attached ({@code -w2}) or follow an equals
 * sign ({@code -w=2}); a repeated flag keeps its last value, except {@code -a}, which adds an
 * address each time. Anything else is an {@link IllegalArgumentException} naming the bad argument.
 * Stateless and thread-safe.
 */
public final class Parse {
  private Parse() {}

  /**
   * Reads {@code -w} (workers per process, default 1) and {@code -n} (process count, default 1).
   *
   * @throws IllegalArgumentException on an unknown flag, a missing or non-integer value, or a count
   *     below 1
   */
  public static ClusterArgs clusterArgs(String... args) {
    Flags flags = Flags.parse(args, "wn");
    return new ClusterArgs(flags.integer('n', 1), flags.integer('w', 1));
  }

  /**
   * Reads {@code -w} (workers per process, default 1), {@code -p} (this process's id, required) and
   * {@code -a} (the {@code host:port} of a process, repeated for every process, required).
   *
   * @throws IllegalArgumentException on an unknown flag, a missing flag or value, or a bad number
   */
  public static ProcArgs procArgs(String... args) {
    Flags flags = Flags.parse(args, "wpa");
    if (flags.addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "-a (the host:port of every process) is required: " + Arrays.toString(args));
    }
    if (!flags.values.containsKey('p')) {
      throw new IllegalArgumentException(
          "-p (this process's id) is required: " + Arrays.toString(args));
    }
    return new ProcArgs(flags.addresses, flags.integer('p', 0), flags.integer('w', 1));
  }

  /** {@link #procEnv(Map)} on this process's environment. */
  public static ProcArgs procEnv() {
    return procEnv(System.getenv());
  }

  /**
   * Reads the arguments of a manually launched cluster member, for example a Kubernetes pod, from
   * environment variables. Each is looked up as {@code SLUICE_<NAME>}, then as bytewax's {@code
   * BYTEWAX_<NAME>}:
   *
   * <ul>
   *   <li>{@code WORKERS_PER_PROCESS}, required;
   *   <li>{@code ADDRESSES}, a {@code ;}-separated list of {@code host:port}, or else {@code
   *       HOSTFILE_PATH}, a file with one address per line (blank lines skipped, lines trimmed);
   *   <li>{@code PROCESS_ID}, or else {@code POD_NAME} and {@code STATEFULSET_NAME}: the id is the
   *       pod name with {@code "<statefulset>-"} removed, so {@code flow-3} in {@code flow} is 3.
   * </ul>
   *
   * @throws IllegalArgumentException if a variable is missing or not a number
   * @throws SluiceException if the host file cannot be read
   */
  public static ProcArgs procEnv(Map<String, String> env) {
    Objects.requireNonNull(env, "env must not be null");
    String workers = lookup(env, "WORKERS_PER_PROCESS");
    if (workers == null) {
      throw new IllegalArgumentException(
          "SLUICE_WORKERS_PER_PROCESS (or BYTEWAX_WORKERS_PER_PROCESS) must be set");
    }
    return new ProcArgs(
        addresses(env), processId(env), number("WORKERS_PER_PROCESS", workers.trim()));
  }

  private static List<String> addresses(Map<String, String> env) {
    String list = lookup(env, "ADDRESSES");
    if (list != null) {
      return Arrays.asList(list.split(";", -1));
    }
    String hostFile = lookup(env, "HOSTFILE_PATH");
    if (hostFile == null) {
      throw new IllegalArgumentException(
          "SLUICE_ADDRESSES or SLUICE_HOSTFILE_PATH (or their BYTEWAX_ names) must be set");
    }
    try {
      List<String> addresses = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(hostFile), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          addresses.add(line.strip());
        }
      }
      return addresses;
    } catch (IOException e) {
      throw new SluiceException("cannot read the host file " + hostFile, e);
    }
  }

  private static int processId(Map<String, String> env) {
    String id = lookup(env, "PROCESS_ID");
    if (id != null) {
      return number("PROCESS_ID", id.trim());
    }
    String pod = lookup(env, "POD_NAME");
    String statefulSet = lookup(env, "STATEFULSET_NAME");
    if (pod == null || statefulSet == null) {
      throw new IllegalArgumentException(
          "SLUICE_PROCESS_ID, or SLUICE_POD_NAME and SLUICE_STATEFULSET_NAME (or their BYTEWAX_"
              + " names) must be set");
    }
    return number("POD_NAME", pod.replace(statefulSet + "-", "").trim());
  }

  private static String lookup(Map<String, String> env, String name) {
    String value = env.get("SLUICE_" + name);
    return value != null ? value : env.get("BYTEWAX_" + name);
  }

  private static int number(String what, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be an integer: \"" + text + "\"", e);
    }
  }

  /** Short flags with one value each; {@code -a} collects addresses. */
  private static final class Flags {
    final Map<Character, String> values = new java.util.HashMap<>();
    final List<String> addresses = new ArrayList<>();

    static Flags parse(String[] args, String allowed) {
      Objects.requireNonNull(args, "args must not be null");
      Flags flags = new Flags();
      for (int i = 0; i < args.length; i++) {
        String arg = Objects.requireNonNull(args[i], "args must not contain null");
        if (arg.length() < 2 || arg.charAt(0) != '-' || allowed.indexOf(arg.charAt(1)) < 0) {
          throw new IllegalArgumentException(
              "unrecognized argument \"" + arg + "\"; expected " + usage(allowed));
        }
        char flag = arg.charAt(1);
        String value = arg.substring(2);
        if (value.startsWith("=")) {
          value = value.substring(1);
        } else if (value.isEmpty()) {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("-" + flag + " needs a value");
          }
          value = args[++i];
        }
        if (flag == 'a') {
          flags.addresses.add(value);
        } else {
          flags.values.put(flag, value);
        }
      }
      return flags;
    }

    int integer(char flag, int otherwise) {
      String value = values.get(flag);
      if (value == null) {
        return otherwise;
      }
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "-" + flag + " needs an integer value: \"" + value + "\"", e);
      }
    }

    private static String usage(String allowed) {
      StringBuilder usage = new StringBuilder();
      for (char flag : allowed.toCharArray()) {
        usage.append(usage.length() == 0 ? "" : ", ").append('-').append(flag).append(" VALUE");
      }
      return usage.toString();
    }
  }
}
