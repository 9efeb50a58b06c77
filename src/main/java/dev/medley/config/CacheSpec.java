package dev.medley.config;

/**
 * The cache store shared by response and step caches (top-level {@code cache:}). Bounded either by
 * bytes (entries weighed by their size) or by entry count, never both.
 *
 * @param maxBytes most bytes of cached bodies and keys, 64MiB by default; 0 when bounded by count
 * @param maxEntries most entries; 0 (the default) when bounded by bytes
 */
public record CacheSpec(long maxBytes, long maxEntries) {
  public static final CacheSpec DEFAULT = new CacheSpec(64L << 20, 0);
}
