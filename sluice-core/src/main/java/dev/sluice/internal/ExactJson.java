package dev.sluice.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads untyped JSON ({@code Object}, and the values of {@code Map<String, Object>} and {@code
 * List<Object>}) without changing a number: integers become {@code Integer}, {@code Long} or {@code
 * BigInteger} as they fit, and a decimal becomes a {@code Double} only when the double is the same
 * number, else a {@code BigDecimal} ({@code 1e400} is not infinity, {@code 1e-400} is not zero, and
 * no digit of {@code 12345678901234567890.123456789} is lost).
 */
public final class ExactJson {
  private ExactJson() {}

  /** A Jackson module replacing the untyped-value deserializer. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("sluice-exact-json");
    module.addDeserializer(Object.class, new Untyped());
    return module;
  }

  /** The parser's current decimal number as a {@code Double} if that is exact, else as is. */
  static Number decimal(JsonParser p) throws IOException {
    BigDecimal exact = p.getDecimalValue();
    double d = exact.doubleValue();
    if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(exact) == 0) {
      return d;
    }
    return exact;
  }

  private static final class Untyped extends StdDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    Untyped() {
      super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return read(p, p.currentToken(), ctxt);
    }

    private Object read(JsonParser p, JsonToken token, DeserializationContext ctxt)
        throws IOException {
      if (token == null) {
        return ctxt.handleUnexpectedToken(Object.class, p);
      }
      switch (token) {
        case START_OBJECT:
          return object(p, p.nextToken(), ctxt);
        case FIELD_NAME:
          return object(p, token, ctxt);
        case START_ARRAY:
          List<Object> list = new ArrayList<>();
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(read(p, t, ctxt));
          }
          return list;
        case VALUE_STRING:
          return p.getText();
        case VALUE_NUMBER_INT:
          return p.getNumberValue();
        case VALUE_NUMBER_FLOAT:
          return decimal(p);
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        case VALUE_NULL:
          return null;
        case VALUE_EMBEDDED_OBJECT:
          return p.getEmbeddedObject();
        default:
          return ctxt.handleUnexpectedToken(Object.class, p);
      }
    }

    private Map<String, Object> object(JsonParser p, JsonToken token, DeserializationContext ctxt)
        throws IOException {
      Map<String, Object> map = new LinkedHashMap<>();
      for (JsonToken t = token; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        map.put(name, read(p, p.nextToken(), ctxt));
      }
      return map;
    }
  }
}
