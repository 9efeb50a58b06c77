package dev.medley.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.medley.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * Signing keys generated at test time (never committed) and tokens signed with them, for the JWT
 * tests. Claims are dated on the test's clock, so expiry is tested by moving that clock.
 */
public final class Tokens {
  public static final String ISSUER = "https://issuer.test/";
  public static final String AUDIENCE = "api.test";

  public final RSAKey rsa;
  public final RSAKey otherRsa;
  public final ECKey ec;

  public Tokens() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
      otherRsa = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWKS text of {@code keys}. */
  public static String jwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /**
   * Claims a valid token carries: our issuer and audience, sub alice, a scope, five minutes to
   * live.
   */
  public static JWTClaimsSet.Builder claims(Clock clock) {
    long now = clock.epochMillis();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("alice")
        .claim("scope", "profile:read orders:read")
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 300_000));
  }

  /** A valid RS256 token for {@code clock}. */
  public String valid(Clock clock) {
    return rs256(claims(clock).build());
  }

  public String rs256(JWTClaimsSet claims) {
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims, rsa);
  }

  public String es256(JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims, ec);
  }

  /** Signs with {@code key} under {@code header} as given (any kid, typ, crit). */
  public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
    try {
      JWSSigner signer =
          key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JWSHeader.Builder header(JWSAlgorithm alg, String kid) {
    return new JWSHeader.Builder(alg).keyID(kid);
  }

  public static JOSEObjectType type(String t) {
    return new JOSEObjectType(t);
  }
}
