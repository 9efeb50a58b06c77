package dev.medley.edge;

import io.vertx.core.buffer.Buffer;

/**
 * Encoded forms of one answer body, kept by whoever made the body to outlive the request (the
 * response cache keeps them in its entry), so that {@link CompressionFilter} compresses a body once
 * rather than on every answer that repeats it. The producer sets {@link #ATTR} on the request; the
 * filter uses it only when the reply still carries {@link #identity()} itself (compared by
 * reference), so a reply replaced or rewritten on the way out is compressed as usual.
 */
public interface EncodedVariants {
  /** The request attribute under which the producer offers the variants of its reply's body. */
  EdgeRequest.Attr<EncodedVariants> ATTR = new EdgeRequest.Attr<>("encodedVariants");

  /** The uncompressed body these are variants of: the very buffer put in the reply. */
  Buffer identity();

  /** The body in {@code encoding} ({@code gzip}, {@code br}), or null when not made yet. */
  Buffer get(String encoding);

  /**
   * Offers the body in {@code encoding}, made by the filter, for later answers; the holder may keep
   * or refuse it (it bounds what it keeps).
   */
  void put(String encoding, Buffer encoded);
}
