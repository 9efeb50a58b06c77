package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the access keys of an experience ({@code auth}, {@code scopes}, {@code rateLimits}, {@code
 * cors}) and of a route ({@code auth}, {@code scopes}, {@code rateLimits}, {@code maxBodySize},
 * {@code forwardAuthorization}), and checks them against the providers of {@code auth}.
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

  /** Reads an experience's access keys against the configured providers. */
  static AccessSpec experience(YNode.Fields f, YNode n, AuthSpec providers) {
    String auth = auth(f, providers);
    String mode = auth == null ? providers.defaultMode() : auth;
    List<String> scopes = scopes(f, mode);
    List<RateLimitSpec> limits = rateLimits(f, !mode.equals("none"));
    CorsSpec cors = f.has("cors") ? cors(f.node("cors")) : null;
    return new AccessSpec(auth, scopes, limits, cors, null, false, n.at());
  }

  /** Reads a route's access keys over its experience's {@code parent}. */
  static AccessSpec route(YNode.Fields f, YNode n, AuthSpec providers, AccessSpec parent) {
    String auth = auth(f, providers);
    String inherited = parent.auth() != null ? parent.auth() : providers.defaultMode();
    String mode = auth != null ? auth : inherited;
    List<String> scopes = scopes(f, mode);
    List<RateLimitSpec> limits = rateLimits(f, !mode.equals("none"));
    Long maxBody = f.has("maxBodySize") ? f.bytes("maxBodySize", 0) : null;
    boolean forward = f.bool("forwardAuthorization", false);
    if (forward && mode.equals("basic")) {
      f.node("forwardAuthorization")
          .error(
              "true on a route with auth: basic (a password never travels upstream; send the user"
                  + " with a header template such as x-user: \"{claims.sub}\")");
    } else if (forward && !mode.equals("jwt")) {
      f.node("forwardAuthorization")
          .error(
              "true on a public route (expected auth: jwt, so only verified tokens travel upstream)");
    }
    return new AccessSpec(auth, scopes, limits, null, maxBody, forward, n.at());
  }

  private static String auth(YNode.Fields f, AuthSpec providers) {
    String auth = f.oneOf("auth", null, "jwt", "basic", "none");
    if ("jwt".equals(auth) && providers.jwt() == null) {
      f.node("auth")
          .error("jwt needs a JWT provider (expected auth.jwt at the top level of the config)");
    }
    if ("basic".equals(auth) && providers.basic() == null) {
      f.node("auth")
          .error(
              "basic needs an htpasswd file (expected auth.basic.htpasswdFile at the top level of"
                  + " the config)");
    }
    return auth;
  }

  private static List<String> scopes(YNode.Fields f, String mode) {
    List<String> scopes = f.stringList("scopes");
    for (String s : scopes) {
      if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
        f.node("scopes").error("'" + s + "' (expected a scope without spaces, e.g. products:read)");
      }
    }
    if (!scopes.isEmpty() && mode.equals("basic")) {
      f.node("scopes")
          .error(
              "scopes on a route with auth: basic (Basic credentials grant no scopes; expected"
                  + " auth: jwt)");
    } else if (!scopes.isEmpty() && !mode.equals("jwt")) {
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
