package dev.sluice.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line arguments as UTF-8. Under a non-UTF-8 locale ({@code LANG=C}) the JVM decodes
 * arguments with the platform charset and turns every non-ASCII byte into U+FFFD before {@code
 * main} runs; where the raw bytes can be read back ({@code /proc/self/cmdline} on Linux), they are
 * decoded as UTF-8 instead.
 */
final class Arguments {
  private static final Path CMDLINE = Path.of("/proc/self/cmdline");

  private Arguments() {}

  static String[] utf8(String[] args) {
    boolean damaged = false;
    for (String a : args) {
      damaged |= a.indexOf('\uFFFD') >= 0;
    }
    if (!damaged || !Files.isReadable(CMDLINE)) {
      return args;
    }
    List<byte[]> raw;
    try {
      raw = split(Files.readAllBytes(CMDLINE));
    } catch (IOException e) {
      return args;
    }
    if (raw.size() < args.length) {
      return args;
    }
    Charset platform = platform();
    List<byte[]> tail = raw.subList(raw.size() - args.length, raw.size());
    String[] out = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      // only if the tail really is these arguments, as the JVM decoded them
      if (!new String(tail.get(i), platform).equals(args[i])) {
        return args;
      }
      out[i] = new String(tail.get(i), StandardCharsets.UTF_8);
    }
    return out;
  }

  private static Charset platform() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "US-ASCII"));
    } catch (RuntimeException e) {
      return StandardCharsets.US_ASCII;
    }
  }

  private static List<byte[]> split(byte[] cmdline) {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        byte[] part = new byte[i - start];
        System.arraycopy(cmdline, start, part, 0, part.length);
        parts.add(part);
        start = i + 1;
      }
    }
    return parts;
  }
}
