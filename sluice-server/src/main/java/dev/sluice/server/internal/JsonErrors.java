package dev.sluice.server.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty itself answers (a malformed request line, headers too large, a URI it refuses)
 * get the same JSON shape as the API's own, without a stack trace.
 */
final class JsonErrors extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    Front.send(response, Front.error(code, text(code, message)), callback);
  }

  @Override
  @SuppressWarnings("removal") // Jetty 12.1 deprecates the hook it still calls for bad requests
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(Front.error(status, text(status, reason)).body());
  }

  private static String text(int code, String message) {
    return message == null || message.isBlank()
        ? "the request was refused (" + code + ")"
        : "the request was refused: " + Ingest.shorten(message);
  }
}
