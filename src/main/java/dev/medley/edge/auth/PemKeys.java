package dev.medley.edge.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads verification keys from PEM text: {@code PUBLIC KEY} blocks (SubjectPublicKeyInfo, RSA or
 * EC) and {@code CERTIFICATE} blocks (the certificate's key). Private keys are refused: the gateway
 * only ever needs the public half.
 */
final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemKeys() {}

  static List<JWK> parse(String pem) {
    List<JWK> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      out.add(
          toJwk(
              switch (m.group(1)) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" -> certificateKey(der);
                default ->
                    throw new IllegalArgumentException(
                        "PEM block '"
                            + m.group(1)
                            + "' is not supported (expected PUBLIC KEY or CERTIFICATE)");
              }));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no PEM PUBLIC KEY or CERTIFICATE block found");
    }
    return out;
  }

  private static PublicKey publicKey(byte[] der) {
    for (String alg : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Try the next key type.
      }
    }
    throw new IllegalArgumentException("PUBLIC KEY is neither an RSA nor an EC key");
  }

  private static PublicKey certificateKey(byte[] der) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("CERTIFICATE cannot be read: " + e.getMessage(), e);
    }
  }

  private static JWK toJwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
    throw new IllegalArgumentException(
        "key type " + key.getAlgorithm() + " is not supported (expected RSA or EC)");
  }
}
