package dev.sluice.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Bearer tokens: checked once, kept only as a digest, compared in constant time. */
public final class Tokens {
  private static final int MIN_LENGTH = 16;

  private Tokens() {}

  /** Checks a token a user configured and returns it. */
  public static String check(String token) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "token must be at least " + MIN_LENGTH + " characters, got " + token.length());
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "token must be printable ASCII without spaces; character " + (i + 1) + " is not");
      }
    }
    return token;
  }

  /** SHA-256 of the token's bytes. */
  public static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Whether an {@code Authorization} header carries the token. Both sides are hashed first, so the
   * comparison takes the same time whatever the length or content of the guess.
   */
  static boolean matches(byte[] expectedDigest, String authorization) {
    String presented = "";
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorization.substring(7).trim();
    }
    return MessageDigest.isEqual(expectedDigest, digest(presented))
        & authorization != null
        & !presented.isEmpty();
  }

  /** Whether a host name or address is a loopback address. */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
