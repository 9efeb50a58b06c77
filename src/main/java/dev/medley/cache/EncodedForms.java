package dev.medley.cache;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The forms of one cached body a hit is answered with: the identity body wrapped once as a buffer
 * (no copy per hit), and the compressed variants the compression filter made for it on first need,
 * at most one per encoding and each only when smaller than the body. So a stored answer is
 * compressed once per encoding and entry, not once per hit. Shared by every request that reads the
 * entry, on any event loop; variants are only ever added, never changed. Held in this process only:
 * a shared store (Redis) stores the identity body, and each replica makes its own variants.
 */
public final class EncodedForms {
  private final byte[] body;
  private volatile Buffer identity;
  private volatile Buffer gzip;
  private volatile Buffer br;

  EncodedForms(byte[] body) {
    this.body = body;
  }

  /**
   * The body as a buffer that may be written by any number of answers: Vert.x writes a slice of it,
   * so its indexes never move, and it wraps the stored array rather than copying it.
   */
  Buffer identity() {
    Buffer b = identity;
    if (b == null) {
      b = wrap(body);
      identity = b; // a racing first use makes a second wrapper of the same bytes: harmless
    }
    return b;
  }

  static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  /** The variant in {@code encoding}, or null. */
  Buffer get(String encoding) {
    return switch (encoding) {
      case "gzip" -> gzip;
      case "br" -> br;
      default -> null;
    };
  }

  /**
   * Keeps {@code encoded} as the {@code encoding} variant unless one is kept already, the encoding
   * is unknown, or it is not smaller than the body. True when kept (the entry then weighs more).
   */
  synchronized boolean put(String encoding, Buffer encoded) {
    if (encoded.length() >= body.length || get(encoding) != null) {
      return false;
    }
    switch (encoding) {
      case "gzip" -> gzip = encoded;
      case "br" -> br = encoded;
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Bytes held by the variants (the identity body is counted by the entry). */
  public long variantBytes() {
    Buffer g = gzip;
    Buffer b = br;
    return (g == null ? 0 : g.length()) + (b == null ? 0 : b.length());
  }
}
