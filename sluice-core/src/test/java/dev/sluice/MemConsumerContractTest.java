package dev.sluice;

import java.util.UUID;

class MemConsumerContractTest extends ConsumerContractTest {
  private final String url = "mem:consumers-" + UUID.randomUUID();

  @Override
  protected String url() {
    return url;
  }
}
