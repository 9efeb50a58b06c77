package dev.medley.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the top-level {@code auth} section. */
final class AuthReader {
  /** Signature algorithms over public keys that nimbus verifies without extra libraries. */
  static final List<String> ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  private static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");

  private AuthReader() {}

  static AuthSpec read(YNode n) {
    YNode.Fields f = n.fields("jwt");
    return f.has("jwt") ? new AuthSpec(jwt(f.node("jwt"))) : AuthSpec.NONE;
  }

  private static JwtSpec jwt(YNode n) {
    YNode.Fields f =
        n.fields(
            "issuer",
            "audiences",
            "jwks",
            "jwksFile",
            "publicKeyFile",
            "algorithms",
            "clockSkew",
            "requireExpiry",
            "requiredClaims",
            "type",
            "scopeClaim",
            "forwardClaims",
            "jwksRefresh",
            "jwksMinRefreshInterval",
            "jwksTimeout");
    f.required("issuer");
    List<String> audiences = Lists.stringOrList(f.required("audiences"));
    if (f.has("audiences") && audiences.isEmpty()) {
      f.node("audiences")
          .error("no audience (expected the audience this gateway accepts, e.g. api.example.com)");
    }
    String jwks = f.string("jwks", null);
    String jwksFile = f.string("jwksFile", null);
    String keyFile = f.string("publicKeyFile", null);
    int sources = (jwks == null ? 0 : 1) + (jwksFile == null ? 0 : 1) + (keyFile == null ? 0 : 1);
    if (sources != 1) {
      n.error(
          (sources == 0 ? "no verification keys" : "more than one key source")
              + " (expected exactly one of: jwks, jwksFile, publicKeyFile)");
    }
    Lists.checkSecureUrl(f.node("jwks"), jwks);
    FileChecks.checkReadable(f.node("jwksFile"), jwksFile);
    FileChecks.checkReadable(f.node("publicKeyFile"), keyFile);
    Duration skew = f.duration("clockSkew", Duration.ofSeconds(30));
    if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
      f.node("clockSkew")
          .error(
              skew.toSeconds()
                  + "s (expected at most 5m: a larger skew keeps expired tokens alive)");
    }
    String type = f.string("type", null);
    return new JwtSpec(
        f.string("issuer", null),
        List.copyOf(audiences),
        jwks,
        jwksFile,
        keyFile,
        algorithms(f),
        skew,
        f.bool("requireExpiry", true),
        List.copyOf(f.stringList("requiredClaims")),
        type,
        f.string("scopeClaim", "scope"),
        forwardClaims(f),
        f.duration("jwksRefresh", Duration.ofMinutes(10)),
        f.duration("jwksMinRefreshInterval", Duration.ofSeconds(30)),
        f.duration("jwksTimeout", Duration.ofSeconds(2)),
        n.at());
  }

  private static List<String> algorithms(YNode.Fields f) {
    YNode node = f.required("algorithms");
    List<String> algs = Lists.stringOrList(node);
    if (node != null && algs.isEmpty()) {
      node.error("no algorithm (expected an explicit list, e.g. [RS256])");
    }
    for (String a : algs) {
      if (a.equalsIgnoreCase("none")) {
        node.error(
            "'none' is never accepted: an unsigned token proves nothing (expected one of: "
                + String.join(", ", ALGORITHMS)
                + ")");
      } else if (HMAC.contains(a)) {
        node.error(
            "'"
                + a
                + "' is not accepted: HMAC needs a shared secret, and a public key used as one lets anyone"
                + " forge tokens (expected one of: "
                + String.join(", ", ALGORITHMS)
                + ")");
      } else if (!ALGORITHMS.contains(a)) {
        node.error("'" + a + "' (expected one of: " + String.join(", ", ALGORITHMS) + ")");
      }
    }
    return List.copyOf(algs);
  }

  private static Map<String, String> forwardClaims(YNode.Fields f) {
    Map<String, String> out = new LinkedHashMap<>();
    YNode n = f.node("forwardClaims");
    if (n == null) {
      return Map.of();
    }
    n.entries()
        .forEach(
            (claim, v) -> {
              String header = v.scalar();
              if (header != null) {
                Lists.checkForwardHeader(v, header);
                if (header.toLowerCase(Locale.ROOT).startsWith("x-medley-")) {
                  v.error("'" + header + "' uses the x-medley- prefix, which the gateway reserves");
                }
                out.put(claim, header.toLowerCase(Locale.ROOT));
              }
            });
    return java.util.Collections.unmodifiableMap(out);
  }
}
