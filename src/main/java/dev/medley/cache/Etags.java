package dev.medley.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;

/**
 * Weak ETags over body bytes, and the weak comparison {@code If-None-Match} uses. Weak because the
 * same tag stands for the identity and the compressed representations of a body.
 */
final class Etags {
  private Etags() {}

  private static final byte[] BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          .getBytes(StandardCharsets.US_ASCII);

  /** A per-thread scratch for the 16-byte digest: no allocation but the tag itself. */
  private static final ThreadLocal<byte[]> DIGEST = ThreadLocal.withInitial(() -> new byte[16]);

  /**
   * The weak tag of {@code body}: {@code W/"} and the 128-bit MurmurHash3 of the bytes in unpadded
   * base64url (22 characters), then {@code "}. The same bytes give the same tag in every process,
   * so replicas sharing cached entries (and clients revalidating against any of them) agree. Read
   * in place, without a copy of the body.
   */
  static String of(Buffer body) {
    ByteBuf b = ((BufferInternal) body).getByteBuf();
    return tag(b, b.readerIndex(), b.readableBytes());
  }

  static String of(byte[] body) {
    return tag(Unpooled.wrappedBuffer(body), 0, body.length);
  }

  private static String tag(ByteBuf bytes, int offset, int length) {
    byte[] d = DIGEST.get();
    Murmur3.hash128(bytes, offset, length, d);
    // W/" + 22 base64url characters for 16 bytes (5 groups of 3, then one byte) + "
    byte[] t = new byte[3 + 22 + 1];
    t[0] = 'W';
    t[1] = '/';
    t[2] = '"';
    int o = 3;
    for (int i = 0; i < 15; i += 3) {
      int v = (d[i] & 0xff) << 16 | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff);
      t[o++] = BASE64URL[v >>> 18];
      t[o++] = BASE64URL[(v >>> 12) & 63];
      t[o++] = BASE64URL[(v >>> 6) & 63];
      t[o++] = BASE64URL[v & 63];
    }
    int last = d[15] & 0xff;
    t[o++] = BASE64URL[last >>> 2];
    t[o++] = BASE64URL[(last << 4) & 63];
    t[o] = '"';
    return new String(t, StandardCharsets.ISO_8859_1);
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
