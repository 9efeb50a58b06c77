package dev.medley.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code forward} (experience, route, step) and {@code responseHeaders} (route, step), and
 * refuses names that could never work as written: a hop-by-hop or gateway-owned header in an
 * allow-list, both {@code allow} and {@code except}, a malformed name or prefix.
 */
final class ForwardReader {
  /** A header name (RFC 9110 token), optionally a prefix ending in {@code *}. */
  private static final Pattern HEADER = Pattern.compile("[!#$%&'+.^_`|~0-9A-Za-z-]+\\*?");

  private ForwardReader() {}

  /** The {@code forward} key of an experience, route or step, or null when absent. */
  static ForwardSpec forward(YNode.Fields owner) {
    if (!owner.has("forward")) {
      return null;
    }
    YNode n = owner.node("forward");
    YNode.Fields f = n.fields("headers", "query");
    ForwardSpec.NameRule headers = f.has("headers") ? rule(f.node("headers"), true) : null;
    ForwardSpec.NameRule query = f.has("query") ? rule(f.node("query"), false) : null;
    return new ForwardSpec(headers, query, n.at());
  }

  /**
   * The {@code responseHeaders} key of a route ({@code route} true: {@code cacheControl} allowed)
   * or of a step, or null when absent.
   */
  static ResponseHeadersSpec responseHeaders(YNode.Fields owner, boolean route) {
    if (!owner.has("responseHeaders")) {
      return null;
    }
    YNode n = owner.node("responseHeaders");
    YNode.Fields f = route ? n.fields("allow", "cacheControl") : n.fields("allow");
    List<String> allow = new ArrayList<>();
    YNode list = f.node("allow");
    if (list != null) {
      for (YNode item : list.items()) {
        String name = headerName(item);
        if (name == null) {
          continue;
        }
        String lower = HeaderNames.lower(name);
        if (lower.equals("cache-control")) {
          item.error(
              "'"
                  + name
                  + "' is composed, not copied (expected responseHeaders.cacheControl: composed on"
                  + " the route)");
        } else if (!lower.endsWith("*") && HeaderNames.neverReturned(lower)) {
          item.error(
              "'"
                  + name
                  + "' never reaches the client from an upstream (hop-by-hop, framing or written by"
                  + " the gateway for the composed answer)");
        } else {
          allow.add(name);
        }
      }
    }
    boolean composed = "composed".equals(f.oneOf("cacheControl", "route", "route", "composed"));
    return new ResponseHeadersSpec(List.copyOf(allow), composed, n.at());
  }

  private static ForwardSpec.NameRule rule(YNode n, boolean headers) {
    YNode.Fields f = n.fields("allow", "except");
    if (f.has("allow") && f.has("except")) {
      n.error(
          "has both allow and except (expected one of them: a list to pass, or all but a list)");
      return null;
    }
    if (!f.has("allow") && !f.has("except")) {
      n.error("expected allow (names to pass) or except (pass all but these names)");
      return null;
    }
    boolean except = f.has("except");
    YNode list = f.node(except ? "except" : "allow");
    List<String> names = new ArrayList<>();
    for (YNode item : list.items()) {
      String name = headers ? headerName(item) : queryName(item);
      if (name == null) {
        continue;
      }
      String lower = HeaderNames.lower(name);
      if (headers && !except && !lower.endsWith("*") && HeaderNames.neverForwarded(lower)) {
        item.error(
            "'"
                + name
                + "' is never forwarded (hop-by-hop, framing or set by the gateway itself; the"
                + " upstream connection has its own)");
        continue;
      }
      names.add(name);
    }
    return new ForwardSpec.NameRule(List.copyOf(names), except, n.at());
  }

  private static String headerName(YNode item) {
    String s = item.scalar();
    if (s == null || !HEADER.matcher(s).matches()) {
      item.error(
          "'" + s + "' (expected a header name, or a prefix ending in *, e.g. X-RateLimit-*)");
      return null;
    }
    return s;
  }

  private static String queryName(YNode item) {
    String s = item.scalar();
    if (s == null || s.isEmpty() || s.equals("*")) {
      item.error("'" + s + "' (expected a query parameter name, or a prefix ending in *)");
      return null;
    }
    return s;
  }
}
