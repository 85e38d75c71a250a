package dev.sluice.kafka.internal;

import dev.sluice.StoreOptions;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreProvider;
import java.util.Set;

/**
 * Opens {@code kafka://host:port[,host:port][?options]} stores: streams kept as Kafka topics. Found
 * by {@link java.util.ServiceLoader}.
 */
public final class KafkaStoreProvider implements StoreProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("kafka");
  }

  @Override
  public String canonicalUrl(String url) {
    return KafkaUrl.parse(url).canonical();
  }

  @Override
  public StoreBackend open(String canonicalUrl, StoreOptions options) {
    return new KafkaBackend(KafkaUrl.parse(canonicalUrl), canonicalUrl, options);
  }
}
