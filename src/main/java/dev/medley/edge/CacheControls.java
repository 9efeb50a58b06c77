package dev.medley.edge;

import java.util.List;
import java.util.Locale;

/**
 * Composes one client {@code Cache-Control} from the route's and the upstream answers' (opt-in,
 * {@code responseHeaders.cacheControl: composed}). The answer is cacheable no longer and no wider
 * than its strictest part allows: {@code no-store} anywhere gives {@code no-store} alone; {@code
 * private}, {@code no-cache}, {@code must-revalidate}, {@code proxy-revalidate} and {@code
 * no-transform} anywhere are kept; {@code public} only when every part says it; {@code max-age} and
 * {@code s-maxage} are the lowest given (a part without {@code max-age} counts as 0, a part without
 * {@code s-maxage} as its {@code max-age}). Other directives are dropped. An upstream answer
 * without {@code Cache-Control} takes the route's value when the route has one (the route vouches
 * for it) and counts as {@code no-cache} otherwise.
 */
final class CacheControls {
  private CacheControls() {}

  /**
   * The composed value, or null when there is nothing to compose (no route value and no answer).
   *
   * @param route the route's {@code cacheControl}, or null
   * @param answers each upstream answer's {@code Cache-Control}, null for one that sent none
   */
  static String compose(String route, List<String> answers) {
    Parts all = new Parts();
    boolean any = false;
    if (route != null) {
      all.add(route);
      any = true;
    }
    for (String a : answers) {
      all.add(a != null ? a : route != null ? route : "no-cache");
      any = true;
    }
    return any ? all.render() : null;
  }

  /** The directives seen so far, folded. */
  private static final class Parts {
    boolean noStore;
    boolean noCache;
    boolean privateOnly;
    boolean allPublic = true;
    boolean mustRevalidate;
    boolean proxyRevalidate;
    boolean noTransform;
    long maxAge = Long.MAX_VALUE;
    long sMaxAge = Long.MAX_VALUE;

    void add(String header) {
      boolean isPublic = false;
      long age = -1;
      long shared = -1;
      for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
        String d = part.trim();
        int eq = d.indexOf('=');
        String name = eq < 0 ? d : d.substring(0, eq).trim();
        String value = eq < 0 ? null : d.substring(eq + 1).trim().replace("\"", "");
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> privateOnly = true;
          case "public" -> isPublic = true;
          case "must-revalidate" -> mustRevalidate = true;
          case "proxy-revalidate" -> proxyRevalidate = true;
          case "no-transform" -> noTransform = true;
          case "max-age" -> age = seconds(value);
          case "s-maxage" -> shared = seconds(value);
          default -> {}
        }
      }
      allPublic &= isPublic;
      long a = Math.max(age, 0);
      maxAge = Math.min(maxAge, a);
      sMaxAge = Math.min(sMaxAge, shared >= 0 ? shared : a);
    }

    String render() {
      if (noStore) {
        return "no-store";
      }
      StringBuilder b = new StringBuilder();
      if (privateOnly) {
        b.append("private");
      } else if (allPublic) {
        b.append("public");
      }
      if (noCache) {
        sep(b).append("no-cache");
      }
      sep(b).append("max-age=").append(maxAge);
      if (!privateOnly && sMaxAge < maxAge) {
        sep(b).append("s-maxage=").append(sMaxAge);
      }
      if (mustRevalidate) {
        sep(b).append("must-revalidate");
      }
      if (proxyRevalidate && !privateOnly) {
        sep(b).append("proxy-revalidate");
      }
      if (noTransform) {
        sep(b).append("no-transform");
      }
      return b.toString();
    }

    private static StringBuilder sep(StringBuilder b) {
      return b.isEmpty() ? b : b.append(", ");
    }

    /** Seconds, or 0 when malformed: a value we cannot read never extends a lifetime. */
    private static long seconds(String v) {
      return v == null || !v.matches("\\d{1,10}") ? 0 : Long.parseLong(v);
    }
  }
}
