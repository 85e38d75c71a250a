package dev.sluice.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a request body into the records to append, or refuses it whole: nothing is appended unless
 * every record is valid JSON within the limits.
 */
final class Ingest {
  static final Set<String> NDJSON_TYPES =
      Set.of(
          "application/x-ndjson",
          "application/ndjson",
          "application/jsonl",
          "application/jsonlines");

  /** The body's kind, from its {@code Content-Type}. */
  enum Kind {
    JSON,
    NDJSON
  }

  private Ingest() {}

  /**
   * The kind of body a {@code Content-Type} announces.
   *
   * @throws HttpError 415 for a missing or other type, or a charset other than UTF-8
   */
  static Kind kind(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new HttpError(
          415,
          "Content-Type is missing: send application/json (one record) or application/x-ndjson"
              + " (one record per line)");
    }
    String[] parts = contentType.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
        String cs = kv[1].trim().replace("\"", "");
        if (!cs.equalsIgnoreCase("utf-8") && !cs.equalsIgnoreCase("utf8")) {
          throw new HttpError(415, "charset must be utf-8: \"" + shorten(cs) + "\"");
        }
      }
    }
    if (type.equals("application/json")) {
      return Kind.JSON;
    }
    if (NDJSON_TYPES.contains(type)) {
      return Kind.NDJSON;
    }
    throw new HttpError(
        415,
        "Content-Type must be application/json (one record) or application/x-ndjson (one record"
            + " per line): \""
            + shorten(type)
            + "\"");
  }

  /**
   * The records of a body, each the bytes of one JSON value.
   *
   * @throws HttpError 400 for a body that is not UTF-8, not JSON, or empty; 413 for a line or a
   *     record count over the limits
   */
  static List<byte[]> records(
      Kind kind, byte[] body, int length, int maxLineBytes, int maxRecords) {
    checkUtf8(body, length);
    if (kind == Kind.JSON) {
      String problem = Json.invalid(body, 0, length);
      if (problem != null) {
        throw new HttpError(400, "the body is not one JSON value: " + problem);
      }
      return List.of(Arrays.copyOf(body, length));
    }
    List<byte[]> out = new ArrayList<>();
    int line = 0;
    int start = 0;
    while (start < length) {
      line++;
      int end = start;
      while (end < length && body[end] != '\n') {
        end++;
      }
      int next = end + 1;
      if (end > start && body[end - 1] == '\r') {
        end--;
      }
      if (end - start > maxLineBytes) {
        throw new HttpError(
            413,
            "line "
                + line
                + " is "
                + (end - start)
                + " bytes, over the limit of "
                + maxLineBytes
                + "; nothing was appended");
      }
      if (!blank(body, start, end)) {
        String problem = Json.invalid(body, start, end);
        if (problem != null) {
          throw new HttpError(
              400,
              "line " + line + " is not one JSON value: " + problem + "; nothing was appended");
        }
        if (out.size() == maxRecords) {
          throw new HttpError(
              413, "more than " + maxRecords + " records in one request; nothing was appended");
        }
        out.add(Arrays.copyOfRange(body, start, end));
      }
      start = next;
    }
    if (out.isEmpty()) {
      throw new HttpError(400, "the body holds no records");
    }
    return out;
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void checkUtf8(byte[] body, int length) {
    if (length == 0) {
      throw new HttpError(400, "the body is empty");
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, 0, length));
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "the body is not valid UTF-8");
    }
  }

  static String shorten(String s) {
    String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 60 ? clean.substring(0, 57) + "..." : clean;
  }
}
