package dev.medley.edge;

import dev.medley.engine.RawAnswer;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The reply of a pass-through route: the upstream's status, body bytes and headers as received,
 * every value of a repeated header kept as its own line, hop-by-hop headers dropped (RFC 9110
 * 7.6.1: the fixed set and any named in {@code Connection}). {@code Content-Length} is left to the
 * listener, which frames the body it writes.
 */
final class PassThrough {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length");

  private PassThrough() {}

  static Reply reply(RawAnswer answer) {
    UpstreamResponse r = answer.response();
    MultiMap in = r.headers();
    Set<String> named = connectionOptions(in.getAll("connection"));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> e : in) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
        out.add(e.getKey(), e.getValue());
      }
    }
    return new Reply(r.status(), out, r.body());
  }

  /** Header names listed in {@code Connection} values: they are hop-by-hop too. */
  private static Set<String> connectionOptions(java.util.List<String> values) {
    if (values.isEmpty()) {
      return Set.of();
    }
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }
}
