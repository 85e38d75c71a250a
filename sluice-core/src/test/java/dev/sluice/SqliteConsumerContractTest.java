package dev.sluice;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteConsumerContractTest extends ConsumerContractTest {
  @TempDir Path dir;

  @Override
  protected String url() {
    return "sqlite:" + dir.resolve("store");
  }
}
