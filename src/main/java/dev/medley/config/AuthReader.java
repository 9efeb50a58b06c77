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

  /** An HMAC secret is named, never written: exactly one {@code ${env:NAME}}, no default. */
  private static final java.util.regex.Pattern ENV_ONLY =
      java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  static AuthSpec read(YNode n) {
    YNode.Fields f = n.fields("jwt", "basic");
    return new AuthSpec(
        f.has("jwt") ? jwt(f.node("jwt")) : null,
        f.has("basic") ? BasicAuthReader.read(f.node("basic")) : null);
  }

  private static JwtSpec jwt(YNode n) {
    YNode.Fields f =
        n.fields(
            "issuer",
            "audiences",
            "jwks",
            "jwksFile",
            "publicKeyFile",
            "secret",
            "secretEncoding",
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
    boolean hmac = f.has("secret");
    int sources =
        (jwks == null ? 0 : 1)
            + (jwksFile == null ? 0 : 1)
            + (keyFile == null ? 0 : 1)
            + (hmac ? 1 : 0);
    if (sources != 1) {
      n.error(
          (sources == 0 ? "no verification keys" : "more than one key source")
              + " (expected exactly one of: jwks, jwksFile, publicKeyFile, secret; a verifier holds"
              + " either public keys or an HMAC secret, never both)");
    }
    List<String> algorithms = algorithms(f, hmac);
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
        hmac ? secrets(f, algorithms) : List.of(),
        algorithms,
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

  private static List<String> algorithms(YNode.Fields f, boolean hmac) {
    YNode node = f.required("algorithms");
    List<String> algs = Lists.stringOrList(node);
    if (node != null && algs.isEmpty()) {
      node.error(
          "no algorithm (expected an explicit list, e.g. " + (hmac ? "[HS256]" : "[RS256]") + ")");
    }
    for (String a : algs) {
      if (hmac) {
        if (!HMAC.contains(a)) {
          node.error(
              "'"
                  + a
                  + "' with a secret (expected only HS256, HS384, HS512: a verifier with a shared"
                  + " secret never accepts other algorithms, so no token can pick how it is checked)");
        }
      } else if (a.equalsIgnoreCase("none")) {
        node.error(
            "'none' is never accepted: an unsigned token proves nothing (expected one of: "
                + String.join(", ", ALGORITHMS)
                + ")");
      } else if (HMAC.contains(a)) {
        node.error(
            "'"
                + a
                + "' is not accepted with public keys: HMAC needs a shared secret (secret:"
                + " ${env:NAME} instead of jwks/jwksFile/publicKeyFile), and a public key used as one"
                + " lets anyone forge tokens (expected one of: "
                + String.join(", ", ALGORITHMS)
                + ")");
      } else if (!ALGORITHMS.contains(a)) {
        node.error("'" + a + "' (expected one of: " + String.join(", ", ALGORITHMS) + ")");
      }
    }
    return List.copyOf(algs);
  }

  /**
   * The HMAC secrets ({@code secret}: one, or a list while rotating): each from the environment,
   * each at least 256 bits and at least the hash size of every accepted algorithm (RFC 7518 3.2).
   */
  private static List<Secret> secrets(YNode.Fields f, List<String> algorithms) {
    String encoding = f.oneOf("secretEncoding", "utf8", "utf8", "base64");
    int needBits = 256;
    String needFor = "HS256";
    for (String a : algorithms) {
      if (HMAC.contains(a) && Integer.parseInt(a.substring(2)) > needBits) {
        needBits = Integer.parseInt(a.substring(2));
        needFor = a;
      }
    }
    YNode node = f.node("secret");
    List<YNode> items = node.isList() ? node.items() : List.of(node);
    if (items.isEmpty()) {
      node.error("no secret (expected ${env:NAME}, or a list of them while rotating)");
    }
    List<Secret> out = new java.util.ArrayList<>();
    for (YNode item : items) {
      String raw = item.rawScalar();
      java.util.regex.Matcher m = raw == null ? null : ENV_ONLY.matcher(raw.strip());
      if (m == null || !m.matches()) {
        item.error(
            "a literal secret (expected ${env:NAME} without a default: a secret written in the"
                + " config ends up in version control and logs)");
        continue;
      }
      String value = item.scalar();
      if (value == null || value.isEmpty()) {
        continue; // an unset variable is reported by scalar()
      }
      byte[] bytes;
      if (encoding.equals("base64")) {
        try {
          bytes =
              value.contains("-") || value.contains("_")
                  ? java.util.Base64.getUrlDecoder().decode(value.strip())
                  : java.util.Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
          item.error(
              "the value of " + m.group(1) + " is not base64 (expected secretEncoding: utf8?)");
          continue;
        }
      } else {
        bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      if (bytes.length * 8 < needBits) {
        item.error(
            "the secret in "
                + m.group(1)
                + " is "
                + bytes.length * 8
                + " bits (expected at least "
                + needBits
                + " bits for "
                + needFor
                + "; generate one with: openssl rand -base64 "
                + (needBits / 8 + 8)
                + ")");
        continue;
      }
      out.add(new Secret(m.group(1), bytes));
    }
    return List.copyOf(out);
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
