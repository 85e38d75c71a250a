package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.spi.Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
}
