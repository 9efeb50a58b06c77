package dev.medley.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Weak ETags over body bytes, and the weak comparison {@code If-None-Match} uses. Weak because the
 * same tag stands for the identity and the compressed representations of a body.
 */
final class Etags {
  private Etags() {}

  /**
   * One digest per thread, reset by each use: looking SHA-256 up among the security providers for
   * every page cost more than hashing the page.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is always available", e);
            }
          });

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  static String of(Buffer body) {
    MessageDigest md = SHA256.get();
    md.update(((BufferInternal) body).getByteBuf().nioBuffer()); // no copy of the body
    return tag(md.digest());
  }

  static String of(byte[] body) {
    return tag(SHA256.get().digest(body));
  }

  private static String tag(byte[] digest) {
    return "W/\"" + BASE64.encodeToString(java.util.Arrays.copyOf(digest, 16)) + "\"";
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
