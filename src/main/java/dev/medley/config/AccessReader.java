package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the access keys of an experience ({@code auth}, {@code scopes}, {@code rateLimits}, {@code
 * cors}) and of a route ({@code auth}, {@code scopes}, {@code rateLimits}, {@code maxBodySize},
 * {@code forwardAuthorization}), and checks them against {@code auth.jwt}.
 */
final class AccessReader {
  static final List<String> EXPERIENCE_KEYS = List.of("auth", "scopes", "rateLimits", "cors");
  static final List<String> ROUTE_KEYS =
      List.of("auth", "scopes", "rateLimits", "maxBodySize", "forwardAuthorization");
  private static final Pattern KEY =
      Pattern.compile("^(claim|header)\\.([!#$%&'*+.^_`|~0-9A-Za-z-]+)$|^ip$|^global$");
  private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern ORIGIN = Pattern.compile("^https?://[^/\\s?#]+$");

  private AccessReader() {}

  /** Reads an experience's access keys; {@code jwt} says whether {@code auth.jwt} exists. */
  static AccessSpec experience(YNode.Fields f, YNode n, boolean jwt) {
    String auth = auth(f, jwt);
    boolean secured = auth == null ? jwt : auth.equals("jwt");
    List<String> scopes = scopes(f, secured);
    List<RateLimitSpec> limits = rateLimits(f, secured);
    CorsSpec cors = f.has("cors") ? cors(f.node("cors")) : null;
    return new AccessSpec(auth, scopes, limits, cors, null, false, n.at());
  }

  /** Reads a route's access keys over its experience's {@code parent}. */
  static AccessSpec route(YNode.Fields f, YNode n, boolean jwt, AccessSpec parent) {
    String auth = auth(f, jwt);
    String inherited = parent.auth() != null ? parent.auth() : (jwt ? "jwt" : "none");
    boolean secured = (auth != null ? auth : inherited).equals("jwt");
    List<String> scopes = scopes(f, secured);
    List<RateLimitSpec> limits = rateLimits(f, secured);
    Long maxBody = f.has("maxBodySize") ? f.bytes("maxBodySize", 0) : null;
    boolean forward = f.bool("forwardAuthorization", false);
    if (forward && !secured) {
      f.node("forwardAuthorization")
          .error(
              "true on a public route (expected auth: jwt, so only verified tokens travel upstream)");
    }
    return new AccessSpec(auth, scopes, limits, null, maxBody, forward, n.at());
  }

  private static String auth(YNode.Fields f, boolean jwt) {
    String auth = f.oneOf("auth", null, "jwt", "none");
    if ("jwt".equals(auth) && !jwt) {
      f.node("auth")
          .error("jwt needs a JWT provider (expected auth.jwt at the top level of the config)");
    }
    return auth;
  }

  private static List<String> scopes(YNode.Fields f, boolean secured) {
    List<String> scopes = f.stringList("scopes");
    for (String s : scopes) {
      if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
        f.node("scopes").error("'" + s + "' (expected a scope without spaces, e.g. products:read)");
      }
    }
    if (!scopes.isEmpty() && !secured) {
      f.node("scopes")
          .error("scopes on a public route (expected auth: jwt here or on the experience)");
    }
    return List.copyOf(scopes);
  }

  private static List<RateLimitSpec> rateLimits(YNode.Fields f, boolean secured) {
    List<RateLimitSpec> out = new ArrayList<>();
    YNode list = f.node("rateLimits");
    if (list == null) {
      return out;
    }
    for (YNode item : list.items()) {
      YNode.Fields t = item.fields("key", "rate", "burst", "name");
      t.required("key");
      t.required("rate");
      String key = t.string("key", "global");
      if (!KEY.matcher(key).matches()) {
        t.node("key").error("'" + key + "' (expected claim.NAME, header.NAME, ip or global)");
      } else if (key.startsWith("claim.") && !secured) {
        t.node("key")
            .error(
                "'" + key + "' on a public route (expected auth: jwt, so the claim is verified)");
      }
      if (key.startsWith("header.")) {
        key = key.toLowerCase(Locale.ROOT);
      }
      String rate = t.string("rate", "1/s");
      double perSecond = Units.perSecond(rate);
      if (perSecond <= 0) {
        t.node("rate")
            .error(
                "'"
                    + rate
                    + "' is not a rate (expected a positive count per s, min or h, e.g. 600/min)");
        perSecond = 1;
      }
      int burst =
          t.integer(
              "burst", (int) Math.max(1, Math.min(1_000_000, Math.ceil(perSecond))), 1, 1_000_000);
      String name = t.string("name", key);
      if (!POLICY_NAME.matcher(name).matches()) {
        t.node("name")
            .error("'" + name + "' (expected 1 to 64 letters, digits, '.', '_', ':' or '-')");
      }
      out.add(new RateLimitSpec(name, key, rate, perSecond, burst, item.at()));
    }
    return List.copyOf(out);
  }

  private static CorsSpec cors(YNode n) {
    YNode.Fields f =
        n.fields("origins", "methods", "headers", "exposeHeaders", "credentials", "maxAge");
    List<String> origins = Lists.stringOrList(f.required("origins"));
    boolean credentials = f.bool("credentials", false);
    for (String o : origins) {
      if (o.equals("*")) {
        if (credentials) {
          f.node("origins")
              .error(
                  "'*' with credentials: true (expected the exact origins: browsers refuse a wildcard with credentials)");
        }
      } else if (!ORIGIN.matcher(o).matches()) {
        f.node("origins")
            .error(
                "'"
                    + o
                    + "' (expected an origin: scheme and host, optional port, no path, e.g. https://shop.example.com)");
      }
    }
    List<String> methods =
        f.has("methods") ? f.stringList("methods") : List.of("GET", "HEAD", "POST");
    for (String m : methods) {
      if (!m.matches("[A-Z]+")) {
        f.node("methods").error("'" + m + "' (expected an upper-case method, e.g. GET)");
      }
    }
    Duration maxAge = f.duration("maxAge", Duration.ofMinutes(10));
    return new CorsSpec(
        List.copyOf(origins),
        List.copyOf(methods),
        lower(f, "headers"),
        lower(f, "exposeHeaders"),
        credentials,
        maxAge,
        n.at());
  }

  private static List<String> lower(YNode.Fields f, String key) {
    List<String> out = new ArrayList<>();
    for (String h : f.stringList(key)) {
      if (!Lists.TOKEN.matcher(h).matches()) {
        f.node(key).error("'" + h + "' is not a valid header name");
      }
      out.add(h.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }
}
