package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import picocli.CommandLine.Option;

/** The {@code --store URL} option every command shares. */
final class StoreOption {
  @Option(
      names = {"-s", "--store"},
      paramLabel = "URL",
      description =
          "Store URL, e.g. sqlite:./data or mem:. Default: $SLUICE_URL, else "
              + Sluice.DEFAULT_URL
              + ".")
  String url;

  String url() {
    if (url != null) {
      return url;
    }
    String env = System.getenv("SLUICE_URL");
    return env == null || env.isBlank() ? Sluice.DEFAULT_URL : env;
  }

  /** Opens the store to change it, creating it if it does not exist. */
  Store open() {
    return Sluice.open(url());
  }

  /**
   * Opens an existing store to read it: creates nothing, and works on a store whose files the user
   * may read but not write.
   */
  Store openToRead() {
    return Sluice.open(url(), StoreOptions.defaults().readOnly(true));
  }
}
