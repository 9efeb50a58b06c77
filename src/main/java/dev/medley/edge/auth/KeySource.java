package dev.medley.edge.auth;

import com.nimbusds.jose.jwk.JWK;
import io.vertx.core.Future;
import java.util.List;

/** Where token verification keys come from: a remote JWKS, or a local file. */
interface KeySource {
  /**
   * Loads the keys before traffic is served; fails only when the keys can never load (a bad file).
   */
  Future<Void> start();

  /**
   * The keys that may have signed a token with key id {@code kid} (all keys when null). Empty when
   * none matches; fails with {@link TokenRejected#unavailable} when no keys could ever be loaded,
   * so callers answer 503 instead of blaming the token.
   */
  Future<List<JWK>> keys(String kid);

  Future<Void> close();

  /** The usable signing keys of {@code all}: public parts only, RSA of at least 2048 bits or EC. */
  static List<JWK> usable(List<JWK> all) {
    return all.stream()
        .filter(k -> k.getKeyUse() == null || "sig".equals(k.getKeyUse().getValue()))
        .filter(
            k ->
                k instanceof com.nimbusds.jose.jwk.ECKey
                    || (k instanceof com.nimbusds.jose.jwk.RSAKey && k.size() >= 2048))
        .map(JWK::toPublicJWK)
        .toList();
  }

  /**
   * The keys of {@code all} that may have signed a token with key id {@code kid}: those with that
   * id and those without any (a PEM key names none); all of them when the token names none.
   */
  static List<JWK> select(List<JWK> all, String kid) {
    return kid == null
        ? all
        : all.stream().filter(k -> k.getKeyID() == null || kid.equals(k.getKeyID())).toList();
  }
}
