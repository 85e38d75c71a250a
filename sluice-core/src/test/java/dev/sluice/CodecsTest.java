package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.spi.Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default JSON codec keeps every value as written (issue 10, items 2 and 3). */
class CodecsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void numbersThatADoubleWouldChangeComeBackExactlyAsMapValues() throws Exception {
    Codec<Map<String, Object>> json = Codecs.json();
    Map<String, Object> v =
        json.decode(
            utf8(
                "{\"big\":1e400,\"tiny\":1e-400,\"long\":12345678901234567890.123456789,"
                    + "\"huge\":123456789012345678901234567890,\"plain\":1.5,\"int\":7,"
                    + "\"nested\":[{\"x\":0.1000000000000000000001}]}"));
    assertThat(v.get("big")).isEqualTo(new BigDecimal("1e400"));
    assertThat(v.get("tiny")).isEqualTo(new BigDecimal("1e-400"));
    assertThat(v.get("long")).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
    assertThat(v.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(v.get("plain")).isEqualTo(1.5); // a double that holds it exactly stays a Double
    assertThat(v.get("int")).isEqualTo(7);
    @SuppressWarnings("unchecked")
    var nested = (List<Map<String, Object>>) v.get("nested");
    assertThat(nested.get(0).get("x")).isEqualTo(new BigDecimal("0.1000000000000000000001"));
    assertThat(text(json.encode(v)))
        .contains("\"big\":1E+400")
        .contains("\"tiny\":1E-400")
        .contains("\"long\":12345678901234567890.123456789")
        .contains("\"huge\":123456789012345678901234567890")
        .contains("\"plain\":1.5");
  }

  @Test
  void jsonNodesKeepEveryDigit() throws Exception {
    Codec<JsonNode> json = Codecs.json(JsonNode.class);
    String in =
        "{\"big\":1E+400,\"tiny\":1E-400,\"long\":12345678901234567890.123456789,\"one\":1.0}";
    JsonNode node = json.decode(utf8(in));
    assertThat(node.get("big").decimalValue()).isEqualTo(new BigDecimal("1e400"));
    assertThat(text(json.encode(node))).isEqualTo(in);
  }

  @Test
  void trailingContentAfterTheValueIsAnError() {
    Codec<Map<String, Object>> json = Codecs.json();
    assertThatThrownBy(() -> json.decode(utf8("{\"a\":1}{\"b\":2}")))
        .hasMessageContaining("Trailing token");
    assertThatThrownBy(() -> json.decode(utf8("{\"a\":1} xyz"))).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> Codecs.json(JsonNode.class).decode(utf8("1 2")))
        .isInstanceOf(Exception.class);
  }

  /** A record whose fields the JSON codec cannot write. */
  public static final class Opaque {
    private final Object self = this;

    public Object getSelf() {
      return self;
    }
  }

  @Test
  void appendAllWritesEveryValueAsEncodeDoesAndFailsAsAppendDoes() throws Exception {
    Codec<Map<String, Object>> json = Codecs.json();
    List<Map<String, Object>> values = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // above the size from which a batch is encoded in two halves
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("i", i);
      v.put("exact", new BigDecimal("12345678901234567890.123456789").add(BigDecimal.valueOf(i)));
      v.put("huge", new BigInteger("123456789012345678901234567890"));
      v.put("tiny", new BigDecimal("1e-400"));
      v.put("d", i / 7.0);
      v.put("text", "Grüße, 東京 \"\n\uD83D\uDE00 " + i);
      v.put("when", Instant.parse("2026-11-22T04:00:00.123Z"));
      v.put("list", List.of(1, "two", Map.of("three", 3.0)));
      v.put("none", null);
      values.add(v);
    }
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("s");
      long first = s.appendAll(values);
      List<Record<byte[]>> written = store.stream("s", Codecs.bytes()).read(first, 1_000);
      assertThat(written).hasSize(values.size());
      for (int i = 0; i < values.size(); i++) {
        assertThat(text(written.get(i).value())).isEqualTo(text(json.encode(values.get(i))));
      }

      List<Object> bad = new ArrayList<>(List.of("a", "b"));
      bad.add(new Opaque());
      EventStream<Object> objects = store.stream("o", Codecs.json(Object.class));
      String single = null;
      try {
        objects.append(bad.get(2));
      } catch (CodecException e) {
        single = e.getMessage();
      }
      assertThat(single)
          .startsWith("cannot encode a dev.sluice.CodecsTest$Opaque for stream \"o\"");
      assertThatThrownBy(() -> objects.appendAll(bad))
          .isInstanceOf(CodecException.class)
          .hasMessage(single);
      List<Object> withNull = new ArrayList<>(List.of("a"));
      withNull.add(null);
      assertThatThrownBy(() -> objects.appendAll(withNull))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("value");
      assertThat(objects.read(0, 10)).isEmpty();
    }
  }
}
