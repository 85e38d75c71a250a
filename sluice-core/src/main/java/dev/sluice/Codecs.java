package dev.sluice;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.internal.ExactJson;
import dev.sluice.internal.JsonCodec;
import dev.sluice.spi.Codec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The codecs Sluice ships. JSON (through Jackson) is the default for every stream.
 *
 * <p>JSON codecs write {@code java.time} values as ISO-8601 text and ignore unknown properties when
 * reading, so a consumer keeps working when producers add fields. Numbers keep their value: an
 * untyped number (in a {@code Map<String, Object>}, a {@code List<Object>} or an {@code Object}
 * field) is an {@code Integer}, {@code Long} or {@code BigInteger} as it fits, and a decimal is a
 * {@code Double} only where the double is the same number, else a {@code BigDecimal}; a {@code
 * JsonNode} keeps every decimal as a {@code BigDecimal}. Content after the JSON value is an error.
 * Every codec here is thread-safe.
 */
public final class Codecs {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .registerModule(ExactJson.module());

  private static final Codec<Map<String, Object>> JSON_MAP =
      json(new TypeReference<Map<String, Object>>() {});

  private Codecs() {}

  /** JSON objects as {@code Map<String, Object>} (nested maps, lists, strings, numbers). */
  public static Codec<Map<String, Object>> json() {
    return JSON_MAP;
  }

  /** JSON for a class: a POJO, a Java record, a {@code String}, a boxed number. */
  public static <T> Codec<T> json(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new JsonCodec<>(MAPPER, MAPPER.constructType(type));
  }

  /** JSON for a generic type, such as {@code new TypeReference<List<Order>>() {}}. */
  public static <T> Codec<T> json(TypeReference<T> type) {
    Objects.requireNonNull(type, "type");
    return new JsonCodec<>(MAPPER, MAPPER.constructType(type));
  }

  /** UTF-8 text. */
  public static Codec<String> string() {
    return StringCodec.INSTANCE;
  }

  /** Bytes as they are. */
  public static Codec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /** The shared, configured Jackson mapper; do not reconfigure it. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  private enum StringCodec implements Codec<String> {
    INSTANCE;

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
      return "string";
    }
  }

  private enum BytesCodec implements Codec<byte[]> {
    INSTANCE;

    @Override
    public byte[] encode(byte[] value) {
      return value;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }

    @Override
    public String describe() {
      return "bytes";
    }
  }
}
