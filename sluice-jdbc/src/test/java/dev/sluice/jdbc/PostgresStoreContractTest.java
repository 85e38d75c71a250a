package dev.sluice.jdbc;

import dev.sluice.StoreContractTest;

class PostgresStoreContractTest extends StoreContractTest {
  private String url;

  @Override
  protected String url() {
    if (url == null) {
      url = TestPostgres.freshUrl();
    }
    return url;
  }

  @Override
  protected boolean persistent() {
    return true;
  }
}
