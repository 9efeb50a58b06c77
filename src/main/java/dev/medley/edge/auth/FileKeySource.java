package dev.medley.edge.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Keys from a local file, read once without blocking the event loop: a JWKS, or PEM public keys and
 * certificates.
 */
final class FileKeySource implements KeySource {
  private final Vertx vertx;
  private final String file;
  private final boolean pem;
  private volatile List<JWK> keys = List.of();
  private Future<Void> loaded;

  FileKeySource(Vertx vertx, String file, boolean pem) {
    this.vertx = vertx;
    this.file = file;
    this.pem = pem;
  }

  @Override
  public synchronized Future<Void> start() {
    if (loaded == null) {
      loaded = load();
    }
    return loaded;
  }

  private Future<Void> load() {
    return vertx
        .fileSystem()
        .readFile(file)
        .compose(
            buf -> {
              try {
                List<JWK> all =
                    pem ? PemKeys.parse(buf.toString()) : JWKSet.parse(buf.toString()).getKeys();
                keys = KeySource.usable(all);
              } catch (java.text.ParseException | RuntimeException e) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "cannot read keys from " + file + ": " + e.getMessage(), e));
              }
              if (keys.isEmpty()) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "no usable signing key in "
                            + file
                            + " (expected RSA keys of 2048 bits or more, or EC keys)"));
              }
              return Future.succeededFuture();
            });
  }

  /**
   * Waits for the file while it is still being read; a file that could not be used means 503, not
   * 401.
   */
  @Override
  public Future<List<JWK>> keys(String kid) {
    Future<Void> l = start();
    if (l.succeeded()) {
      return Future.succeededFuture(KeySource.select(keys, kid));
    }
    return l.transform(
        ar ->
            ar.succeeded()
                ? Future.succeededFuture(KeySource.select(keys, kid))
                : Future.failedFuture(
                    TokenRejected.unavailable("token signing keys could not be loaded")));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
