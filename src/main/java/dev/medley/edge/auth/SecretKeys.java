package dev.medley.edge.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.medley.config.Secret;
import io.vertx.core.Future;
import java.util.List;

/**
 * The HMAC secrets of an HMAC verifier, from the environment at load. Several while rotating: a
 * token signed with any of them verifies, so issuers can move to the new secret before the old one
 * is removed.
 */
final class SecretKeys implements KeySource {
  private final List<JWK> keys;

  SecretKeys(List<Secret> secrets) {
    this.keys =
        secrets.stream().<JWK>map(s -> new OctetSequenceKey.Builder(s.bytes()).build()).toList();
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  /** Every secret: a shared secret has no key id worth trusting. */
  @Override
  public Future<List<JWK>> keys(String kid) {
    return Future.succeededFuture(keys);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
