package dev.sluice.internal;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.StoreProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens stores by URL and shares one backend per location within the JVM. */
public final class Stores {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);
  private static final Map<String, SharedStore> OPEN = new HashMap<>();
  private static volatile Map<String, StoreProvider> providers;
  private static volatile Store defaultStore;

  private Stores() {}

  /** Opens a handle on the store at a URL, sharing the backend with other open handles. */
  public static Store open(String url, StoreOptions options) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(options, "options");
    StoreProvider provider = provider(url);
    String canonical = provider.canonicalUrl(url);
    synchronized (OPEN) {
      SharedStore shared = OPEN.get(canonical);
      if (shared == null) {
        shared = new SharedStore(canonical, provider.open(canonical, options), options);
        // Retention set by an earlier run, or by another process, is enforced here too.
        shared.startMaintenance();
        OPEN.put(canonical, shared);
      } else if (!shared.options().equals(options)) {
        throw new IllegalStateException(
            "store "
                + canonical
                + " is already open in this JVM with "
                + shared.options()
                + "; cannot open it again with "
                + options);
      }
      return shared.newHandle();
    }
  }

  /** Releases one handle's share; stops its consumers and closes the backend with the last one. */
  static void release(SharedStore shared) {
    boolean last;
    synchronized (OPEN) {
      last = shared.releaseOne();
      if (last) {
        OPEN.remove(shared.url());
      }
    }
    if (last) {
      shared.stopJobs();
      shared.closeEngine();
      shared.backend().close();
    }
  }

  /** The default store, opened on first use and closed at JVM exit. */
  public static Store defaultStore() {
    Store store = defaultStore;
    if (store == null) {
      synchronized (Stores.class) {
        store = defaultStore;
        if (store == null) {
          String url = System.getenv("SLUICE_URL");
          if (url == null || url.isBlank()) {
            url = System.getProperty("sluice.url", Sluice.DEFAULT_URL);
          }
          store = open(url, StoreOptions.defaults());
          Store toClose = store;
          Runtime.getRuntime()
              .addShutdownHook(new Thread(toClose::close, "sluice-default-store-close"));
          defaultStore = store;
        }
      }
    }
    return store;
  }

  private static StoreProvider provider(String url) {
    int colon = url.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "store URL must start with a scheme such as sqlite: or mem:, got " + Names.quote(url));
    }
    String scheme = url.substring(0, colon);
    Map<String, StoreProvider> known = providers();
    StoreProvider provider = known.get(scheme);
    if (provider == null) {
      throw new IllegalArgumentException(
          "no store backend for scheme \""
              + scheme
              + "\" in "
              + Names.quote(url)
              + "; installed: "
              + known.keySet()
              + " (add the module, e.g. sluice-kafka, to the classpath)");
    }
    return provider;
  }

  private static Map<String, StoreProvider> providers() {
    Map<String, StoreProvider> found = providers;
    if (found == null) {
      found = new TreeMap<>();
      for (StoreProvider p :
          ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
        for (String scheme : p.schemes()) {
          found.putIfAbsent(scheme, p);
        }
      }
      LOG.debug("store backends: {}", found.keySet());
      providers = found;
    }
    return found;
  }
}
