package dev.medley.edge.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.medley.config.JwtSpec;
import dev.medley.json.Json;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.security.Key;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verifies a compact JWS bearer token: shape, an allowed algorithm (never {@code none}; either only
 * public-key algorithms or, with a shared secret, only HMAC ones: one verifier never mixes them, so
 * a token cannot choose to be checked with a public key as an HMAC secret), the optional {@code
 * typ}, no unknown {@code crit}, the signature with a key of the matching type, then {@code iss},
 * {@code aud}, {@code exp}, {@code nbf} and required claims on the injected clock. Claims are read
 * only after the signature holds. Completes with the claims, or fails with {@link TokenRejected}.
 */
public final class JwtVerifier {
  private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)*");
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final JwtSpec spec;
  private final KeySource keys;
  private final Clock clock;
  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();

  JwtVerifier(JwtSpec spec, KeySource keys, Clock clock) {
    this.spec = spec;
    this.keys = keys;
    this.clock = clock;
    this.algorithms =
        spec.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * A verifier whose keys come from the spec's JWKS URL, JWKS file or PEM file; JWKS fetches run on
   * the event loop of {@code loop}.
   */
  public static JwtVerifier create(Vertx vertx, Context loop, JwtSpec spec, Clock clock) {
    KeySource source =
        !spec.secrets().isEmpty()
            ? new SecretKeys(spec.secrets())
            : spec.jwks() != null
                ? new RemoteJwks(vertx, loop, spec, clock)
                : new FileKeySource(
                    vertx,
                    spec.jwksFile() != null ? spec.jwksFile() : spec.publicKeyFile(),
                    spec.jwksFile() == null);
    return new JwtVerifier(spec, source, clock);
  }

  /** Loads the keys; fails only when a key file cannot be used. */
  public Future<Void> start() {
    return keys.start();
  }

  public Future<Void> close() {
    return keys.close();
  }

  public JwtSpec spec() {
    return spec;
  }

  /** Checks {@code token}; completes with its claims. */
  public Future<ObjectNode> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = parse(token);
    } catch (TokenRejected e) {
      return Future.failedFuture(e);
    }
    String kid = jwt.getHeader().getKeyID();
    return keys.keys(kid)
        .compose(
            candidates -> {
              if (candidates.isEmpty()) {
                throw TokenRejected.invalid(
                    kid == null
                        ? "no configured key can verify this token"
                        : "the token's key id is unknown");
              }
              if (!signedByOneOf(jwt, candidates)) {
                throw TokenRejected.invalid("the token's signature does not verify");
              }
              ObjectNode claims = claims(jwt);
              checkClaims(claims);
              return Future.succeededFuture(claims);
            });
  }

  private SignedJWT parse(String token) {
    if (token.length() > MAX_TOKEN_CHARS || !COMPACT.matcher(token).matches()) {
      throw TokenRejected.invalid("the token is malformed");
    }
    long dots = token.chars().filter(c -> c == '.').count();
    if (dots == 4) {
      throw TokenRejected.invalid("encrypted tokens (JWE) are not accepted");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw TokenRejected.invalid(
          unsigned(token)
              ? "unsigned tokens (alg none) are not accepted"
              : "the token is malformed");
    }
    JWSHeader h = jwt.getHeader();
    if (!algorithms.contains(h.getAlgorithm())) {
      throw TokenRejected.invalid("the token's algorithm " + h.getAlgorithm() + " is not accepted");
    }
    if (spec.type() != null && !typeMatches(h)) {
      throw TokenRejected.invalid("the token's type must be " + spec.type());
    }
    if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
      throw TokenRejected.invalid(
          "the token has critical header parameters the gateway does not understand");
    }
    return jwt;
  }

  /** True when the token's header says {@code alg: none}, so the client hears the real reason. */
  private static boolean unsigned(String token) {
    int dot = token.indexOf('.');
    try {
      JsonNode h =
          Json.parse(Base64.getUrlDecoder().decode(dot < 0 ? token : token.substring(0, dot)));
      return h.path("alg").asText("").equalsIgnoreCase("none");
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private boolean typeMatches(JWSHeader h) {
    if (h.getType() == null) {
      return false;
    }
    String t = h.getType().getType();
    String want = spec.type();
    // RFC 7515: "application/" may be omitted from typ, so both spellings mean the same type.
    return t.equalsIgnoreCase(want) || t.equalsIgnoreCase("application/" + want);
  }

  private boolean signedByOneOf(SignedJWT jwt, List<JWK> candidates) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    for (JWK jwk : candidates) {
      Key key = keyFor(alg, jwk);
      if (key == null) {
        continue;
      }
      try {
        if (jwt.verify(factory.createJWSVerifier(jwt.getHeader(), key))) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // A key that cannot check this token is just not the signer; try the next one.
      }
    }
    return false;
  }

  /**
   * The key of {@code jwk} when its type (and curve) fits {@code alg}; otherwise null. Secret (oct)
   * keys exist only in an HMAC verifier, whose algorithms are only HS*.
   */
  private static Key keyFor(JWSAlgorithm alg, JWK jwk) {
    if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(alg.getName())) {
      return null;
    }
    try {
      if (JWSAlgorithm.Family.RSA.contains(alg) && jwk instanceof RSAKey rsa) {
        return rsa.toRSAPublicKey();
      }
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) && jwk instanceof OctetSequenceKey oct) {
        return oct.toSecretKey();
      }
      if (JWSAlgorithm.Family.EC.contains(alg)
          && jwk instanceof ECKey ec
          && Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
        return ec.toECPublicKey();
      }
    } catch (JOSEException e) {
      return null;
    }
    return null;
  }

  private static ObjectNode claims(SignedJWT jwt) {
    try {
      JsonNode n = Json.parse(jwt.getParsedParts()[1].decode());
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException | RuntimeException e) {
      // Reported below like any other malformed payload.
    }
    throw TokenRejected.invalid("the token's claims are not a JSON object");
  }

  private void checkClaims(ObjectNode c) {
    double now = clock.epochMillis() / 1000.0;
    long skew = spec.clockSkew().toSeconds();
    JsonNode iss = c.get("iss");
    if (iss == null || !iss.isTextual() || !iss.textValue().equals(spec.issuer())) {
      throw TokenRejected.invalid("the token's issuer is not accepted");
    }
    if (!audienceAccepted(c.get("aud"))) {
      throw TokenRejected.invalid("the token's audience is not accepted");
    }
    JsonNode exp = c.get("exp");
    if (exp == null || exp.isNull()) {
      if (spec.requireExpiry()) {
        throw TokenRejected.invalid("the token has no expiry (exp)");
      }
    } else if (!exp.isNumber()) {
      throw TokenRejected.invalid("the token's exp is not a number");
    } else if (now >= exp.asDouble() + skew) {
      throw TokenRejected.invalid("the token has expired");
    }
    JsonNode nbf = c.get("nbf");
    if (nbf != null && !nbf.isNull()) {
      if (!nbf.isNumber()) {
        throw TokenRejected.invalid("the token's nbf is not a number");
      }
      if (now + skew < nbf.asDouble()) {
        throw TokenRejected.invalid("the token is not valid yet");
      }
    }
    for (String name : spec.requiredClaims()) {
      JsonNode v = c.get(name);
      if (v == null || v.isNull()) {
        throw TokenRejected.invalid("the token lacks the required claim '" + name + "'");
      }
    }
  }

  private boolean audienceAccepted(JsonNode aud) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return spec.audiences().contains(aud.textValue());
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && spec.audiences().contains(a.textValue())) {
          return true;
        }
      }
    }
    return false;
  }
}
