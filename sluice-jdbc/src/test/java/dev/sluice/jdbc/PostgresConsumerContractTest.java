package dev.sluice.jdbc;

import dev.sluice.ConsumerContractTest;

class PostgresConsumerContractTest extends ConsumerContractTest {
  private String url;

  @Override
  protected String url() {
    if (url == null) {
      url = TestPostgres.freshUrl();
    }
    return url;
  }
}
