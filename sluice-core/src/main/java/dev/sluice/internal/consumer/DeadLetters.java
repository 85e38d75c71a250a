package dev.sluice.internal.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Record;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.Entry;
import java.time.Instant;
import java.util.Base64;

/**
 * Writes the records of {@code <stream>.dlq}: one JSON object per dead record, carrying where it
 * came from, why it failed and the record itself ({@link dev.sluice.DeadLetters} reads them back).
 */
public final class DeadLetters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TRACE = 4_000;

  private DeadLetters() {}

  /** The dead-letter stream of a stream. */
  public static String streamOf(String stream) {
    return stream + Names.DEAD_LETTER_SUFFIX;
  }

  /** Checks a stream name a transactional sink writes to (a dead-letter stream is allowed). */
  static String checkStreamName(String stream) {
    return Names.checkInternalStream(stream);
  }

  /** A dead letter for one record. */
  static Entry entry(
      String group,
      String windowId,
      long firstOffset,
      long lastOffset,
      int attempts,
      Record<byte[]> record,
      Throwable error,
      Instant now) {
    ObjectNode n = JSON.createObjectNode();
    n.put("stream", record.stream());
    n.put("partition", record.partition());
    n.put("group", group);
    n.put("window", windowId);
    n.put("offset", record.offset());
    n.put("firstOffset", firstOffset);
    n.put("lastOffset", lastOffset);
    n.put("attempts", attempts);
    n.put("error", error.getClass().getName());
    n.put("message", String.valueOf(error.getMessage()));
    n.put("stackTrace", trace(error));
    n.put("timestamp", record.timestamp().toString());
    n.put("deadAt", now.toString());
    if (record.key() != null) {
      n.put("key", record.key());
    }
    JsonNode value = asJson(record.value());
    if (value != null) {
      n.set("value", value);
    } else {
      n.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
    }
    try {
      return new Entry(record.key(), JSON.writeValueAsBytes(n));
    } catch (Exception e) {
      throw new IllegalStateException("cannot encode a dead letter: " + e, e);
    }
  }

  private static JsonNode asJson(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (Exception e) {
      return null;
    }
  }

  private static String trace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    String s = w.toString();
    return s.length() <= MAX_TRACE ? s : s.substring(0, MAX_TRACE) + "…";
  }
}
