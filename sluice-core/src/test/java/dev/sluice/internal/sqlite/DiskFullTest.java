package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose file system fills up keeps working once space is back, in the same process (issue
 * 10 item 6). The file system is a real 8 MB tmpfs, mounted for this class: mounting needs root (as
 * {@code scripts/test.sh} runs on CI); anywhere else the class fails, saying so, rather than
 * skipping.
 */
class DiskFullTest {
  @TempDir static Path tmp;
  static Path mount;

  @BeforeAll
  static void mountTmpfs() throws Exception {
    mount = Files.createDirectories(tmp.resolve("tmpfs"));
    String out = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
    if (out != null) {
      mount = null;
      fail(
          "DiskFullTest fills a small file system: it mounts an 8 MB tmpfs, which needs root (or"
              + " CAP_SYS_ADMIN). Run the tests as root, as scripts/test.sh does on CI. mount said: "
              + out);
    }
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  /** Runs a command; null when it succeeded, else its output and exit code. */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : out.trim() + " (exit " + p.exitValue() + ")";
  }

  @Test
  void aStoreAppendsAgainInTheSameProcessOnceSpaceIsBack() throws Exception {
    Path store = mount.resolve("store");
    Path ballast = mount.resolve("ballast");
    Files.write(ballast, new byte[3 << 20]);
    List<byte[]> acknowledged = new ArrayList<>();
    try (Store s = Sluice.open("sqlite:" + store)) {
      EventStream<byte[]> stream = s.stream("s", Codecs.bytes());
      StoreException full = null;
      for (int i = 0; i < 20_000 && full == null; i++) {
        byte[] value = value(i);
        try {
          assertThat(stream.append(value)).isEqualTo(acknowledged.size());
          acknowledged.add(value);
        } catch (StoreException e) {
          full = e;
        }
      }
      assertThat(full).as("the 8 MB file system filled up").isNotNull();
      assertThat(full.getMessage()).containsIgnoringCase("full");
      int beforeSpace = acknowledged.size();
      // A few more tries while the disk is still full must not break anything either.
      for (int i = 0; i < 3; i++) {
        try {
          stream.append(value(-1));
          fail("an append succeeded on a full disk");
        } catch (StoreException e) {
          assertThat(e.getMessage()).containsIgnoringCase("full");
        }
      }

      Files.delete(ballast);
      for (int i = 0; i < 200; i++) {
        byte[] value = value(beforeSpace + i);
        assertThat(stream.append(value))
            .as("append %d after space came back", i)
            .isEqualTo(acknowledged.size());
        acknowledged.add(value);
      }
      assertThat(stream.appendAll(List.of(value(1), value(2)))).isEqualTo(acknowledged.size());
      acknowledged.add(value(1));
      acknowledged.add(value(2));
      s.drop("other"); // other writes work too
    }
    try (Store s = Sluice.open("sqlite:" + store)) {
      List<Record<byte[]>> records = s.stream("s", Codecs.bytes()).read(0, 100_000);
      assertThat(records).hasSize(acknowledged.size());
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).value()).as("record %d", i).isEqualTo(acknowledged.get(i));
      }
    }
    assertThat(StoreDb.query(store, "PRAGMA integrity_check")).isEqualTo("ok");
  }

  private static byte[] value(int i) throws IOException {
    byte[] v = new byte[2_000];
    ByteBuffer.wrap(v).putInt(i);
    return v;
  }
}
