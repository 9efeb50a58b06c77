package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * Reads transport settings: {@code server.tls}, {@code server.limits}, and an upstream's {@code
 * tls} and {@code oauth2}.
 */
final class TransportReader {
  private TransportReader() {}

  static TlsSpec serverTls(YNode n) {
    YNode.Fields f = n.fields("cert", "key");
    f.required("cert");
    f.required("key");
    return tls(f, n, null);
  }

  /** An upstream's {@code tls}, or null; only for https {@code urls}. */
  static TlsSpec upstreamTls(YNode.Fields upstream, java.util.List<String> urls) {
    if (!upstream.has("tls")) {
      return null;
    }
    if (urls.stream().anyMatch(u -> !u.startsWith("https://"))) {
      upstream.node("tls").error("tls on a plain http upstream (expected an https:// url)");
    }
    return upstreamTls(upstream.node("tls"));
  }

  /** An upstream's {@code oauth2}, or null; never together with a static Authorization header. */
  static OAuth2Spec oauth2(YNode.Fields upstream, java.util.Map<String, String> headers) {
    if (!upstream.has("oauth2")) {
      return null;
    }
    if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"))) {
      upstream
          .node("oauth2")
          .error(
              "oauth2 and an Authorization header both set the credentials (expected one of them)");
    }
    return oauth2(upstream.node("oauth2"));
  }

  private static TlsSpec upstreamTls(YNode n) {
    YNode.Fields f = n.fields("ca", "cert", "key");
    if (f.has("cert") != f.has("key")) {
      n.error("a client certificate needs both cert and key (expected both, or neither)");
    }
    if (!f.has("ca") && !f.has("cert")) {
      n.error("nothing to configure (expected ca, or cert and key, or all three)");
    }
    String ca = f.string("ca", null);
    FileChecks.checkReadable(f.node("ca"), ca);
    return tls(f, n, ca);
  }

  private static TlsSpec tls(YNode.Fields f, YNode n, String ca) {
    String cert = f.string("cert", null);
    String key = f.string("key", null);
    FileChecks.checkReadable(f.node("cert"), cert);
    FileChecks.checkReadable(f.node("key"), key);
    return new TlsSpec(cert, key, ca, n.at());
  }

  static LimitsSpec limits(YNode n) {
    YNode.Fields f =
        n.fields(
            "maxHeaderSize",
            "maxUrlLength",
            "maxBodySize",
            "maxJsonDepth",
            "maxQueryParams",
            "headerTimeout",
            "idleTimeout",
            "maxConnections");
    LimitsSpec d = LimitsSpec.DEFAULT;
    long header = f.bytes("maxHeaderSize", d.maxHeaderSize());
    if (header < 1024 || header > (1L << 20)) {
      f.node("maxHeaderSize").error(header + " bytes (expected from 1KiB to 1MiB)");
      header = d.maxHeaderSize();
    }
    return new LimitsSpec(
        header,
        f.integer("maxUrlLength", d.maxUrlLength(), 256, 65_536),
        f.bytes("maxBodySize", d.maxBodySize()),
        f.integer("maxJsonDepth", d.maxJsonDepth(), 1, 1000),
        f.integer("maxQueryParams", d.maxQueryParams(), 1, 10_000),
        timeout(f, "headerTimeout", d.headerTimeout()),
        timeout(f, "idleTimeout", d.idleTimeout()),
        f.integer("maxConnections", d.maxConnections(), 1, 1_000_000));
  }

  /**
   * A connection timeout: from 100ms to 1h (a connection must be able to time out, and not at
   * once).
   */
  private static java.time.Duration timeout(
      YNode.Fields f, String key, java.time.Duration fallback) {
    java.time.Duration d = f.duration(key, fallback);
    if (d.compareTo(java.time.Duration.ofMillis(100)) < 0
        || d.compareTo(java.time.Duration.ofHours(1)) > 0) {
      f.node(key).error(f.node(key).scalar() + " (expected from 100ms to 1h)");
      return fallback;
    }
    return d;
  }

  private static OAuth2Spec oauth2(YNode n) {
    YNode.Fields f =
        n.fields(
            "tokenUrl",
            "clientId",
            "clientSecret",
            "scopes",
            "audience",
            "refreshBefore",
            "timeout");
    f.required("tokenUrl");
    f.required("clientId");
    f.required("clientSecret");
    String url = f.string("tokenUrl", null);
    Lists.checkSecureUrl(f.node("tokenUrl"), url);
    return new OAuth2Spec(
        url,
        f.string("clientId", null),
        f.string("clientSecret", null),
        List.copyOf(Lists.stringOrList(f.node("scopes"))),
        f.string("audience", null),
        f.duration("refreshBefore", Duration.ofSeconds(30)),
        f.positiveDuration("timeout", Duration.ofSeconds(2)),
        n.at());
  }
}
