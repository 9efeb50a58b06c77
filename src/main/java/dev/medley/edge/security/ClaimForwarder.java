package dev.medley.edge.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Puts verified claims on the request's upstream headers ({@code forwardClaims}), and the caller's
 * {@code Authorization} header when the route opts in. Values outside printable ASCII, and {@code
 * %}, are percent-encoded as UTF-8, so a claim can never split or smuggle a header.
 */
final class ClaimForwarder implements EdgeFilter {
  private final Map<String, String> forwardClaims;
  private final boolean forwardAuthorization;

  /**
   * @param forwardClaims claim name to header name; @param forwardAuthorization whether the
   *     caller's token goes upstream
   */
  ClaimForwarder(Map<String, String> forwardClaims, boolean forwardAuthorization) {
    this.forwardClaims = forwardClaims;
    this.forwardAuthorization = forwardAuthorization;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    JsonNode claims = req.claims();
    if (!forwardAuthorization && req.hasUpstreamHeaders()) {
      // A canary that does not forward the token must not inherit the matched route's choice.
      req.upstreamHeaders().remove("authorization");
    }
    if (claims != null) {
      for (Map.Entry<String, String> e : forwardClaims.entrySet()) {
        JsonNode v = claims.get(e.getKey());
        if (v != null && !v.isNull()) {
          req.upstreamHeaders().set(e.getValue(), encode(text(v)));
        }
      }
      if (forwardAuthorization) {
        req.upstreamHeaders().set("authorization", req.headers().get("authorization"));
      }
    }
    return next.handle(req);
  }

  /**
   * Strings as they are, lists of strings space-separated (like {@code scope}), anything else as
   * JSON.
   */
  private static String text(JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isArray()) {
      StringBuilder b = new StringBuilder();
      for (JsonNode item : v) {
        if (!b.isEmpty()) {
          b.append(' ');
        }
        b.append(item.isTextual() ? item.textValue() : item.toString());
      }
      return b.toString();
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  static String encode(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '%') {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
      for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
      }
      i = end - 1;
    }
    return b == null ? s : b.toString();
  }
}
