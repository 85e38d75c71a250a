package dev.sluice.internal;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.sluice.spi.Codec;
import java.util.List;
import java.util.Objects;

/** JSON through a configured Jackson mapper, for one type; see {@code Codecs.json}. */
public final class JsonCodec<T> implements Codec<T>, BatchEncoder<T> {
  private final JavaType type;
  private final ObjectWriter writer;
  private final ObjectWriter sequence;
  private final ObjectReader reader;

  /** A codec of {@code type} with {@code mapper}, which must not be reconfigured afterwards. */
  public JsonCodec(ObjectMapper mapper, JavaType type) {
    this.type = type;
    this.writer = mapper.writerFor(type);
    this.sequence = writer.withRootValueSeparator("");
    ObjectReader r = mapper.readerFor(type);
    // a tree keeps every decimal as written; other untyped values go through ExactJson
    this.reader =
        JsonNode.class.isAssignableFrom(type.getRawClass())
            ? r.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            : r;
  }

  @Override
  public byte[] encode(T value) throws Exception {
    return writer.writeValueAsBytes(value);
  }

  /**
   * One generator and one serializer provider for the whole batch, where {@link #encode} builds
   * both for every value (about a sixth of the time of a small map in a profile); the bytes are the
   * same.
   */
  @Override
  public void encodeAll(List<? extends T> values, int from, int to, byte[][] into)
      throws Exception {
    ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    try (SequenceWriter out = sequence.writeValues(buffer)) {
      for (int i = from; i < to; i++) {
        out.write(Objects.requireNonNull(values.get(i), "value"));
        out.flush();
        into[i] = buffer.toByteArray();
        buffer.reset();
      }
    }
  }

  @Override
  public T decode(byte[] bytes) throws Exception {
    return reader.readValue(bytes);
  }

  @Override
  public String describe() {
    return "json(" + type.toCanonical() + ")";
  }
}
