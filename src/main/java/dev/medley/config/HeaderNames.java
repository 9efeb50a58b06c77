package dev.medley.config;

import java.util.Locale;
import java.util.Set;

/**
 * The header names forwarding and copying treat specially, in one place so the config checks and
 * the compiled rules agree. All names are lower-case.
 */
public final class HeaderNames {
  /**
   * Client headers that never go upstream, not even when named: they describe the client's own
   * connection or message framing (RFC 9110 section 7.6.1), or the gateway sets them itself.
   */
  static final Set<String> NEVER_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "proxy-connection",
          "proxy-authenticate",
          "accept",
          "x-request-id",
          "traceparent",
          "tracestate");

  /**
   * Client headers that go upstream only when an allow-list names them exactly: credentials, client
   * identity a client can forge, and headers that change what the upstream answers (encodings,
   * conditions, ranges). A prefix or "all except" never lets them through.
   */
  private static final Set<String> NAMED_ONLY =
      Set.of(
          "authorization",
          "cookie",
          "proxy-authorization",
          "forwarded",
          "x-real-ip",
          "accept-encoding",
          "content-type",
          "content-encoding",
          "expect",
          "range");

  /**
   * Upstream answer headers that never reach the client, not even when named: hop-by-hop and
   * framing headers, and those the gateway writes for the composed answer itself.
   */
  static final Set<String> NEVER_RETURNED =
      Set.of(
          "connection",
          "keep-alive",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "content-encoding",
          "content-type",
          "content-range",
          "etag",
          "last-modified",
          "age",
          "date",
          "server",
          "vary",
          "x-cache",
          "x-request-id",
          "cache-control");

  private static final String RESERVED_PREFIX = "x-medley-";

  private HeaderNames() {}

  /** True when a client header with this (lower-case) name may never go upstream. */
  public static boolean neverForwarded(String lower) {
    return NEVER_FORWARDED.contains(lower)
        || lower.startsWith("proxy-") && !lower.equals("proxy-authorization")
        || lower.startsWith(RESERVED_PREFIX);
  }

  /** True when a client header goes upstream only when an allow-list names it exactly. */
  public static boolean namedOnly(String lower) {
    return NAMED_ONLY.contains(lower)
        || lower.startsWith("x-forwarded-")
        || lower.startsWith("if-");
  }

  /** True when an upstream answer header may never reach the client. */
  public static boolean neverReturned(String lower) {
    return NEVER_RETURNED.contains(lower)
        || lower.startsWith("proxy-")
        || lower.startsWith(RESERVED_PREFIX);
  }

  /** True when an upstream answer header reaches the client only when named exactly. */
  public static boolean returnedOnlyNamed(String lower) {
    return lower.equals("set-cookie");
  }

  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
