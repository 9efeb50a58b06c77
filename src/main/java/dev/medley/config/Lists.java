package dev.medley.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Small readers shared by the security sections: string-or-list values, URLs, header names. */
final class Lists {
  /** An HTTP token (RFC 9110), the form a header name must have. */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern URL =
      Pattern.compile("^(https?)://([^/\\s?#:]+|\\[[0-9a-fA-F:.]+])(:\\d{1,5})?(/[^\\s#]*)?$");

  private Lists() {}

  /** A value written either as one string or as a list of strings. */
  static List<String> stringOrList(YNode n) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.isList()) {
      for (YNode item : n.items()) {
        String s = item.scalar();
        if (s != null) {
          out.add(s);
        }
      }
    } else {
      String s = n.scalar();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Checks that a URL the gateway fetches secrets or keys from is https, or plain http on the
   * loopback interface only: over plain http to another host, anyone on the path could swap keys or
   * read client secrets.
   */
  static void checkSecureUrl(YNode n, String url) {
    if (url == null || n == null) {
      return;
    }
    var m = URL.matcher(url);
    if (!m.matches()) {
      n.error("'" + url + "' (expected an https:// URL)");
      return;
    }
    String host = m.group(2);
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    if (m.group(1).equals("http") && !loopback) {
      n.error(
          "'"
              + url
              + "' (expected an https:// URL; plain http is accepted only for 127.0.0.1, [::1] or localhost)");
    }
  }

  /** A header name Medley may set on upstream requests: a token, and not one the gateway owns. */
  static void checkForwardHeader(YNode n, String header) {
    if (!TOKEN.matcher(header).matches()) {
      n.error("'" + header + "' is not a valid header name");
      return;
    }
    String h = header.toLowerCase(java.util.Locale.ROOT);
    if (List.of(
            "authorization",
            "host",
            "content-length",
            "content-type",
            "transfer-encoding",
            "connection",
            "x-request-id",
            "cookie",
            "te",
            "upgrade")
        .contains(h)) {
      n.error(
          "'"
              + header
              + "' is set by the gateway itself (expected another header name, e.g. x-user-sub)");
    }
  }
}
