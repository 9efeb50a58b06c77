package dev.medley.cache;

import java.time.Duration;
import java.util.Locale;

/**
 * What an upstream's {@code Cache-Control} allows a step cache to do, when the step honours it. The
 * gateway is a shared cache, so {@code s-maxage} wins over {@code max-age}; {@code no-cache} counts
 * as {@code no-store} because the step cache never revalidates upstream.
 *
 * @param store false when the entry must not be stored at all
 * @param privateOnly true when it may only be stored under one user's key
 * @param maxAge the lifetime the upstream allows, or null when it names none
 */
record UpstreamCacheControl(boolean store, boolean privateOnly, Duration maxAge) {
  static final UpstreamCacheControl UNRESTRICTED = new UpstreamCacheControl(true, false, null);

  static UpstreamCacheControl parse(String header) {
    if (header == null || header.isBlank()) {
      return UNRESTRICTED;
    }
    boolean store = true;
    boolean privateOnly = false;
    Long maxAge = null;
    Long sMaxAge = null;
    for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
      String d = part.trim();
      int eq = d.indexOf('=');
      String name = eq < 0 ? d : d.substring(0, eq).trim();
      String value = eq < 0 ? null : d.substring(eq + 1).trim().replace("\"", "");
      switch (name) {
        case "no-store", "no-cache" -> store = false;
        case "private" -> privateOnly = true;
        case "max-age" -> maxAge = seconds(value);
        case "s-maxage" -> sMaxAge = seconds(value);
        default -> {}
      }
    }
    Long age = sMaxAge != null ? sMaxAge : maxAge;
    if (age != null && age <= 0) {
      store = false;
    }
    return new UpstreamCacheControl(
        store, privateOnly, age == null ? null : Duration.ofSeconds(age));
  }

  /**
   * Seconds, or 0 (do not store) when the value is malformed: a header we cannot read never extends
   * a lifetime.
   */
  private static Long seconds(String v) {
    if (v == null || !v.matches("\\d{1,10}")) {
      return 0L;
    }
    return Long.parseLong(v);
  }

  /** The lifetime to use: {@code ttl}, shortened by the upstream's when it names a shorter one. */
  Duration shorten(Duration ttl) {
    return maxAge == null || maxAge.compareTo(ttl) >= 0 ? ttl : maxAge;
  }
}
