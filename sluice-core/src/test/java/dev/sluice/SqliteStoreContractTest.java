package dev.sluice;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  protected String url() {
    return "sqlite:" + dir.resolve("store");
  }

  @Override
  protected boolean persistent() {
    return true;
  }
}
