package dev.sluice;

import java.util.UUID;

class MemStoreContractTest extends StoreContractTest {
  private final String url = "mem:contract-" + UUID.randomUUID();

  @Override
  protected String url() {
    return url;
  }

  @Override
  protected boolean persistent() {
    return false;
  }
}
