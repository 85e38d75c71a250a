package dev.sluice.internal;

import dev.sluice.StoreOptions;
import dev.sluice.spi.StoreBackend;
import java.util.concurrent.Semaphore;

/** One open backend and what its handles share: options, the bound on pending async appends. */
final class SharedStore {
  private final String url;
  private final StoreBackend backend;
  private final StoreOptions options;
  private final Semaphore pendingAppends;
  private int handles;

  SharedStore(String url, StoreBackend backend, StoreOptions options) {
    this.url = url;
    this.backend = backend;
    this.options = options;
    this.pendingAppends = new Semaphore(options.maxPendingAppends());
  }

  /** The canonical URL the registry keys this store by. */
  String url() {
    return url;
  }

  StoreBackend backend() {
    return backend;
  }

  StoreOptions options() {
    return options;
  }

  Semaphore pendingAppends() {
    return pendingAppends;
  }

  /** Called with the registry's lock held. */
  StoreHandle newHandle() {
    handles++;
    return new StoreHandle(this);
  }

  /** Called with the registry's lock held; returns whether this was the last handle. */
  boolean releaseOne() {
    return --handles == 0;
  }
}
