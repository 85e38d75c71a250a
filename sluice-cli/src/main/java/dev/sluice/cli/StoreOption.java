package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.Store;
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

  Store open() {
    return Sluice.open(url());
  }
}
