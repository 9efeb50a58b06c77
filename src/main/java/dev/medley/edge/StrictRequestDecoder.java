package dev.medley.edge;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * The listener's HTTP/1.1 request decoder with the framing checks Netty's own decoder leaves out
 * (RFC 9112 §3.2, §6.1, §6.3): a request with both {@code Content-Length} and {@code
 * Transfer-Encoding}, a transfer coding other than a lone {@code chunked}, a missing or repeated
 * {@code Host} on HTTP/1.1, a {@code Host} that is not a host and optional port, a control byte in
 * the request target, or a version other than HTTP/1.0 and 1.1 (an HTTP/2 preface) is refused while
 * its head is decoded. The decoder then discards every byte after it, so nothing pipelined behind a
 * refused request is ever decoded; {@link ConnectionGuard} answers the refusal and closes the
 * connection. The checks read headers Netty has already parsed and allocate nothing for an ordinary
 * request.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Netty calls this once the head of a message is parsed, before it decides how to read the body.
   */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    if (msg instanceof HttpRequest req) {
      check(req);
    }
    return super.isContentAlwaysEmpty(msg);
  }

  /**
   * Throws {@link Refused} when {@code req} is framed so that a server and a proxy could disagree.
   */
  static void check(HttpRequest req) {
    HttpVersion v = req.protocolVersion();
    if (v.majorVersion() != 1 || v.minorVersion() > 1) {
      throw new Refused(
          505,
          "http-version-not-supported",
          "HTTP Version Not Supported",
          "this port speaks HTTP/1.1 (HTTP/2 is offered through TLS and ALPN only)");
    }
    String uri = req.uri();
    for (int i = 0, n = uri.length(); i < n; i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw bad("the request target contains a control character or space");
      }
    }
    HttpHeaders h = req.headers();
    String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
    if (te != null) {
      if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw bad("the request has both Content-Length and Transfer-Encoding");
      }
      List<String> all = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (all.size() != 1 || !te.trim().equalsIgnoreCase("chunked")) {
        throw bad(
            "Transfer-Encoding must be exactly 'chunked' (got '"
                + String.join(", ", all).replaceAll("[^\\x20-\\x7e]", "?")
                + "')");
      }
    }
    if (v.minorVersion() >= 1) {
      String host = h.get(HttpHeaderNames.HOST);
      if (host == null) {
        throw bad("an HTTP/1.1 request must have a Host header");
      }
      if (h.getAll(HttpHeaderNames.HOST).size() > 1) {
        throw bad("the request has more than one Host header");
      }
    }
    String host = h.get(HttpHeaderNames.HOST);
    if (host != null && !isAuthority(host)) {
      throw bad("the Host header is not a host name or address with an optional port");
    }
  }

  /**
   * RFC 3986's {@code host [ ":" port ]} (RFC 9110 §7.2): a name of unreserved, percent-encoded and
   * sub-delimiter characters, or a bracketed IP literal, then digits after one colon. Empty is
   * allowed (a target without authority). Anything else ({@code /}, {@code @}, spaces, a second
   * colon) is what host-header attacks and cache-key confusion are made of.
   */
  static boolean isAuthority(String host) {
    int n = host.length();
    int i = 0;
    if (n > 0 && host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 0) {
        return false;
      }
      for (i = 1; i < close; i++) {
        char c = host.charAt(i);
        if (!(isHex(c) || c == ':' || c == '.' || c == 'v' || c == 'V')) {
          return false;
        }
      }
      i = close + 1;
    } else {
      for (; i < n && host.charAt(i) != ':'; i++) {
        if (!isRegName(host.charAt(i))) {
          return false;
        }
      }
    }
    if (i == n) {
      return true;
    }
    if (host.charAt(i) != ':') {
      return false;
    }
    for (i++; i < n; i++) {
      char c = host.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isRegName(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
  }

  private static Refused bad(String detail) {
    return new Refused(400, "malformed-request", "Bad Request", detail);
  }

  /**
   * A request refused for its framing: answered with this status and problem, then the connection
   * closes.
   */
  static final class Refused extends RuntimeException {
    final int status;
    final String slug;
    final String title;

    Refused(int status, String slug, String title, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.slug = slug;
      this.title = title;
    }
  }
}
