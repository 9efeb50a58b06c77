package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the caching and compression keys: the top-level {@code cache:} store, {@code cache:} on
 * routes and steps, a route's {@code cacheControl} and {@code server.compression}. Kept apart so
 * {@link ConfigLoader} only says where these sections are.
 */
final class CacheConfigReader {
  private static final Set<String> FLAG_DIRECTIVES =
      Set.of(
          "public",
          "private",
          "no-cache",
          "no-store",
          "no-transform",
          "must-revalidate",
          "proxy-revalidate",
          "immutable");
  private static final Set<String> SECONDS_DIRECTIVES =
      Set.of("max-age", "s-maxage", "stale-while-revalidate", "stale-if-error");
  private static final Pattern DIRECTIVE = Pattern.compile("([a-z-]+)(?:=(\\d{1,9}))?");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:/-]*");

  private CacheConfigReader() {}

  /** Top-level {@code cache:}: the store's bound, bytes or entries but never both. */
  static CacheSpec store(YNode n) {
    YNode.Fields f = n.fields("maxBytes", "maxEntries");
    if (f.has("maxBytes") && f.has("maxEntries")) {
      n.error(
          "both maxBytes and maxEntries are set (expected one of them: the store is bounded either by size or by count)");
    }
    if (f.has("maxEntries")) {
      return new CacheSpec(0, f.integer("maxEntries", 10_000, 1, Integer.MAX_VALUE));
    }
    long bytes = f.bytes("maxBytes", CacheSpec.DEFAULT.maxBytes());
    if (bytes < 1024) {
      f.node("maxBytes").error(bytes + " bytes (expected at least 1KiB)");
      bytes = CacheSpec.DEFAULT.maxBytes();
    }
    return new CacheSpec(bytes, 0);
  }

  /** {@code server.compression:}. */
  static CompressionSpec compression(YNode n) {
    YNode.Fields f = n.fields("encodings", "minSize", "gzipLevel", "brotliQuality");
    CompressionSpec d = CompressionSpec.DEFAULT;
    List<String> encodings = d.encodings();
    if (f.has("encodings")) {
      encodings = new ArrayList<>();
      for (String e : f.stringList("encodings")) {
        if (!e.equals("br") && !e.equals("gzip")) {
          f.node("encodings").error("'" + e + "' (expected br or gzip)");
        } else if (encodings.contains(e)) {
          f.node("encodings").error("'" + e + "' is listed twice");
        } else {
          encodings.add(e);
        }
      }
      encodings = List.copyOf(encodings);
    }
    return new CompressionSpec(
        encodings,
        f.bytes("minSize", d.minSize()),
        f.integer("gzipLevel", d.gzipLevel(), 1, 9),
        f.integer("brotliQuality", d.brotliQuality(), 0, 11));
  }

  /**
   * {@code cache:} on a route ({@code step == false}) or a step. {@code method} is the route's or
   * step's method: only reads are cached.
   */
  static CacheRuleSpec rule(YNode n, String method, boolean step, boolean batch) {
    YNode.Fields f =
        step
            ? n.fields(
                "ttl",
                "tags",
                "staleWhileRevalidate",
                "staleIfError",
                "shared",
                "varyClaims",
                "upstreamCacheControl")
            : n.fields(
                "ttl", "tags", "staleWhileRevalidate", "staleIfError", "shared", "varyClaims");
    f.required("ttl");
    Duration ttl = f.duration("ttl", Duration.ofSeconds(60));
    if (ttl.isZero()) {
      f.node("ttl").error("0 (expected a positive duration; leave cache: out to not cache)");
    }
    List<Text> tags = new ArrayList<>();
    YNode tn = f.node("tags");
    if (tn != null) {
      for (YNode item : tn.items()) {
        String s = item.scalar();
        if (s != null && s.isBlank()) {
          item.error("empty tag (expected text such as product:{id})");
        } else if (s != null) {
          tags.add(new Text(s, item.at()));
        }
      }
    }
    boolean shared = f.bool("shared", false);
    List<String> vary = f.stringList("varyClaims");
    if (!vary.isEmpty() && !shared) {
      f.node("varyClaims")
          .error(
              "varyClaims without shared: true (expected shared: true: an unshared entry is already keyed by the subject)");
    }
    for (String c : vary) {
      if (!CLAIM.matcher(c).matches()) {
        f.node("varyClaims").error("'" + c + "' is not a claim name");
      }
    }
    if (!step && !method.equals("GET")) {
      n.error("cache on a " + method + " route (expected a GET route: only reads are cached)");
    }
    if (step && !method.equals("GET") && !method.equals("HEAD")) {
      n.error(
          "cache on a " + method + " step (expected a GET or HEAD step: only reads are cached)");
    }
    if (batch) {
      n.error(
          "cache on a batch step (expected a step without batch: batch answers are not cached per item)");
    }
    return new CacheRuleSpec(
        ttl,
        List.copyOf(tags),
        f.duration("staleWhileRevalidate", Duration.ZERO),
        f.duration("staleIfError", Duration.ZERO),
        shared,
        List.copyOf(vary),
        step ? f.oneOf("upstreamCacheControl", "ignore", "ignore", "honour") : "ignore",
        n.at());
  }

  /** A route's {@code cacheControl}: known directives only, so a typo never reaches clients. */
  static String cacheControl(YNode n) {
    String s = n.scalar();
    if (s == null) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (String part : s.split(",")) {
      String d = part.trim().toLowerCase(Locale.ROOT);
      var m = DIRECTIVE.matcher(d);
      boolean ok =
          m.matches()
              && (FLAG_DIRECTIVES.contains(m.group(1))
                  ? m.group(2) == null
                  : SECONDS_DIRECTIVES.contains(m.group(1)) && m.group(2) != null);
      if (!ok) {
        n.error(
            "'"
                + part.trim()
                + "' in cacheControl (expected directives among: public, private, no-cache, no-store, "
                + "no-transform, must-revalidate, proxy-revalidate, immutable, max-age=N, s-maxage=N, "
                + "stale-while-revalidate=N, stale-if-error=N)");
        return null;
      }
      names.add(m.group(1));
    }
    if (names.contains("public") && names.contains("private")) {
      n.error("cacheControl has both public and private (expected one of them)");
      return null;
    }
    return String.join(", ", s.split("\\s*,\\s*")).trim();
  }
}
