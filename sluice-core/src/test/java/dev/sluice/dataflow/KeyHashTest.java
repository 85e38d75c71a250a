package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The routing hash: stable values, supported key types, rejected key types. */
class KeyHashTest {

  enum Color {
    RED,
    GREEN
  }

  enum Fruit {
    RED
  }

  record Point(int x, String label) {}

  record Holder(Object value) {}

  @Test
  void hashesArePinnedSoRoutingNeverChangesBetweenRunsOrJvms() {
    // Golden values: a change here re-routes every key of every user; never edit casually.
    assertThat(KeyHash.hash("a")).isEqualTo(KeyHash.mix(97)).isEqualTo(0x685fdf50e51fa977L);
    assertThat(KeyHash.hash(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
        .isEqualTo(0x92a84060f0482b47L);
    assertThat(KeyHash.hash(List.of("a", 1, true))).isEqualTo(0x662c9fb58e17e5efL);
    assertThat(KeyHash.hash(new BigInteger("123456789012345678901234567890")))
        .isEqualTo(0xad6b1ebb387f4c1fL);
    assertThat(KeyHash.hash(true)).isEqualTo(0x74a19fc8b6428188L);
    assertThat(KeyHash.hash("hello")).isEqualTo(KeyHash.mix(99162322));
    assertThat(KeyHash.hash(42L)).isEqualTo(KeyHash.mix(42));
    assertThat(KeyHash.mix(0)).isEqualTo(0L);
    assertThat(KeyHash.mix(1)).isEqualTo(0xB456BCFC34C2CB2CL);
    assertThat(KeyHash.hash(new Point(1, "p"))).isEqualTo(pinnedPoint());
    assertThat(KeyHash.workerFor("a", 4)).isEqualTo(pinnedWorker("a", 4));
  }

  private static long pinnedPoint() {
    long h = 0xC2B2AE3D27D4EB4FL;
    h = KeyHash.mix(h * 31 + KeyHash.mix(1));
    return KeyHash.mix(h * 31 + KeyHash.mix("p".hashCode()));
  }

  private static int pinnedWorker(String key, int workers) {
    return (int) Long.remainderUnsigned(KeyHash.mix(key.hashCode()), workers);
  }

  @Test
  void workersForTheFirstKeysArePinned() {
    List<Integer> workers = new ArrayList<>();
    for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
      workers.add(KeyHash.workerFor(key, 4));
    }
    assertThat(workers)
        .containsExactly(
            pinnedWorker("a", 4),
            pinnedWorker("b", 4),
            pinnedWorker("c", 4),
            pinnedWorker("d", 4),
            pinnedWorker("e", 4),
            pinnedWorker("f", 4),
            pinnedWorker("g", 4),
            pinnedWorker("h", 4));
    assertThat(workers).containsExactly(3, 0, 3, 2, 0, 2, 3, 1);
  }

  @Test
  void equalKeysHashAlikeAcrossDistinctInstances() {
    assertThat(KeyHash.hash(new String("key"))).isEqualTo(KeyHash.hash("key"));
    assertThat(KeyHash.hash(Integer.valueOf(1_000_000))).isEqualTo(KeyHash.hash(1_000_000L));
    assertThat(KeyHash.hash((short) 7)).isEqualTo(KeyHash.hash((byte) 7));
    assertThat(KeyHash.hash(BigInteger.valueOf(99))).isEqualTo(KeyHash.hash(99L));
    assertThat(KeyHash.hash(new BigInteger("123456789012345678901234567890")))
        .isEqualTo(KeyHash.hash(new BigInteger("123456789012345678901234567890")));
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(KeyHash.hash(UUID.fromString(uuid.toString()))).isEqualTo(KeyHash.hash(uuid));
    assertThat(KeyHash.hash(new Point(3, "x"))).isEqualTo(KeyHash.hash(new Point(3, "x")));
    assertThat(KeyHash.hash(List.of("a", 1, true))).isEqualTo(KeyHash.hash(List.of("a", 1, true)));
    assertThat(KeyHash.hash(new Holder(null))).isEqualTo(KeyHash.hash(new Holder(null)));
  }

  @Test
  void enumsHashByConstantName() {
    assertThat(KeyHash.hash(Color.RED)).isEqualTo(KeyHash.hash(Fruit.RED));
    assertThat(KeyHash.hash(Color.RED)).isEqualTo(KeyHash.mix("RED".hashCode()));
    assertThat(KeyHash.hash(Color.RED)).isNotEqualTo(KeyHash.hash(Color.GREEN));
  }

  @Test
  void differentKeysUsuallyHashApart() {
    assertThat(KeyHash.hash(true)).isNotEqualTo(KeyHash.hash(false));
    assertThat(KeyHash.hash(List.of(1, 2))).isNotEqualTo(KeyHash.hash(List.of(2, 1)));
    assertThat(KeyHash.hash(new Point(1, "a"))).isNotEqualTo(KeyHash.hash(new Point(2, "a")));
  }

  @Test
  void keysSpreadOverWorkers() {
    Map<Integer, Integer> perWorker = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      perWorker.merge(KeyHash.workerFor("word" + i, 4), 1, Integer::sum);
    }
    assertThat(perWorker).hasSize(4);
    assertThat(perWorker.values()).allSatisfy(count -> assertThat(count).isBetween(2_300, 2_700));
  }

  @Test
  void floatingPointKeysAreRejectedWithTheirType() {
    assertThatThrownBy(() -> KeyHash.hash(1.5))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessageContaining("stable across runs")
        .hasMessageEndingWith("got java.lang.Double");
  }

  @Test
  void arraysMutableCollectionsAndIdentityObjectsAreRejectedWithTheirType() {
    assertThatThrownBy(() -> KeyHash.hash(new int[] {1})).hasMessageEndingWith("got [I");
    assertThatThrownBy(() -> KeyHash.hash(new ArrayList<>(List.of("a"))))
        .hasMessageEndingWith("got java.util.ArrayList");
    assertThatThrownBy(() -> KeyHash.hash(Arrays.asList("a")))
        .hasMessageEndingWith("got java.util.Arrays$ArrayList");
    assertThatThrownBy(() -> KeyHash.hash(Map.of("a", 1)))
        .hasMessageContaining("got java.util.ImmutableCollections$Map");
    assertThatThrownBy(() -> KeyHash.hash(new Object()))
        .hasMessageEndingWith("got java.lang.Object");
    assertThatThrownBy(() -> KeyHash.hash(Instant.EPOCH))
        .hasMessageEndingWith("got java.time.Instant");
  }

  @Test
  void anUnsupportedComponentInsideARecordOrListNamesBothTypes() {
    assertThatThrownBy(() -> KeyHash.hash(new Holder(2.5f)))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessageContaining(
            "got java.lang.Float inside key dev.sluice.dataflow.KeyHashTest$Holder");
    assertThatThrownBy(() -> KeyHash.hash(List.of("a", new Object())))
        .hasMessageContaining(
            "got java.lang.Object inside key java.util.ImmutableCollections$List12");
  }

  @Test
  void aNullKeyIsRejected() {
    assertThatThrownBy(() -> KeyHash.hash(null))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("a key must not be null");
  }
}
