package dev.medley.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Weak ETags over body bytes, and the weak comparison {@code If-None-Match} uses. Weak because the
 * same tag stands for the identity and the compressed representations of a body.
 */
final class Etags {
  private Etags() {}

  static String of(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** True when {@code ifNoneMatch} (a list of tags, or {@code *}) weakly matches {@code etag}. */
  static boolean matches(String ifNoneMatch, String etag) {
    String mine = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || opaque(c).equals(mine)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
