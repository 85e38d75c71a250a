package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code StoreOptions.readOnly(true)}: reads an existing store, creates and changes nothing. */
class ReadOnlyStoreTest {
  private static final StoreOptions READ_ONLY = StoreOptions.defaults().readOnly(true);

  @TempDir Path dir;

  /** The store's files, except SQLite's WAL files, which any reader of a WAL database may open. */
  private List<Path> files() throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.toString().matches(".*-(wal|shm)$")).sorted().toList();
    }
  }

  @Test
  void aMissingStoreIsAnErrorAndNothingIsCreated() {
    Path typo = dir.resolve("typo");
    assertThatThrownBy(() -> Sluice.open("sqlite:" + typo, READ_ONLY))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("no store at " + typo);
    assertThat(typo).doesNotExist();
  }

  @Test
  void readsAnExistingStoreAndRefusesEveryWriteWithoutTouchingAFile() throws Exception {
    try (Store s = Sluice.open("sqlite:" + dir)) {
      s.stream("orders").append("k", Map.of("id", 1));
    }
    List<Path> before = files();
    try (Store s = Sluice.open("sqlite:" + dir, READ_ONLY)) {
      assertThat(s.streams()).containsExactly("orders");
      assertThat(s.metadata("orders").orElseThrow().recordCount()).isEqualTo(1);
      assertThat(s.stream("orders").read(0, 10))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo("k");
                assertThat(r.value()).containsEntry("id", 1);
              });
      assertThatThrownBy(() -> s.stream("orders").append(Map.of("id", 2)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> s.stream("other"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> s.drop("orders")).isInstanceOf(StoreException.class);
      assertThat(files()).isEqualTo(before); // no lock file in procs/, no new stream
    }
    try (Store s = Sluice.open("sqlite:" + dir)) {
      assertThat(s.metadata("orders").orElseThrow().recordCount()).isEqualTo(1);
    }
  }

  @Test
  void aStoreOpenForWritingServesAReadOnlyOpenInTheSameJvm() {
    try (Store writer = Sluice.open("sqlite:" + dir);
        Store reader = Sluice.open("sqlite:" + dir, READ_ONLY)) {
      writer.stream("s").append(Map.of("a", 1));
      assertThat(reader.metadata("s").orElseThrow().recordCount()).isEqualTo(1);
    }
  }

  @Test
  void theMemStoreIgnoresTheOption() {
    try (Store s = Sluice.open("mem:", READ_ONLY)) {
      s.stream("s").append(Map.of("a", 1));
      assertThat(s.metadata("s")).isPresent();
    }
  }
}
