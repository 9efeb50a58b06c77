package dev.medley.edge.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.medley.config.JwtSpec;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * A JWKS fetched over HTTP with the Vert.x client (never blocking the event loop). The last good
 * key set is kept: a refresh that fails leaves it in place, so an identity-provider outage does not
 * lock users out. An unknown {@code kid} triggers a refetch, at most once per {@code
 * jwksMinRefreshInterval}, so forged key ids cannot make the gateway hammer the provider;
 * background refreshes and retries while no keys are loaded keep to the same interval since the
 * last attempt of any kind. Concurrent callers share one fetch.
 */
final class RemoteJwks implements KeySource {
  private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());
  private static final int MAX_JWKS_BYTES = 1 << 20;

  private final String url;
  private final Clock clock;
  private final long refreshNanos;
  private final long minIntervalNanos;
  private final java.time.Duration timeout;
  private final HttpClient client;

  /**
   * The event loop every fetch runs on, whoever triggers it (a worker compiling a plan, any
   * request's loop).
   */
  private final Context loop;

  private final Object lock = new Object();
  private List<JWK> keys;
  private long fetchedAt;
  private boolean attempted;
  private long attemptedAt;
  private boolean missed;
  private long missedAt;
  private Future<Void> inflight;

  RemoteJwks(Vertx vertx, Context loop, JwtSpec spec, Clock clock) {
    this.loop = loop;
    this.url = spec.jwks();
    this.clock = clock;
    this.refreshNanos = spec.jwksRefresh().toNanos();
    this.minIntervalNanos = spec.jwksMinRefreshInterval().toNanos();
    this.timeout = spec.jwksTimeout();
    this.client =
        vertx
            .httpClientBuilder()
            .with(
                new HttpClientOptions()
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))
            .build();
  }

  @Override
  public Future<Void> start() {
    Future<Void> f = refetch(false);
    // An unreachable provider at start is an outage like any other: serve, and retry on demand.
    return f == null ? Future.succeededFuture() : f.recover(t -> Future.succeededFuture());
  }

  @Override
  public Future<List<JWK>> keys(String kid) {
    List<JWK> current;
    boolean stale;
    synchronized (lock) {
      current = keys;
      stale = current != null && clock.nanoTime() - fetchedAt >= refreshNanos;
    }
    if (current != null) {
      List<JWK> match = KeySource.select(current, kid);
      if (!match.isEmpty()) {
        if (stale) {
          refetch(false);
        }
        return Future.succeededFuture(match);
      }
    }
    Future<Void> fetch = refetch(current != null);
    if (fetch == null) {
      return current == null ? Future.failedFuture(noKeys()) : Future.succeededFuture(List.of());
    }
    return onCaller(
        fetch.transform(
            ar -> {
              List<JWK> now;
              synchronized (lock) {
                now = keys;
              }
              return now == null
                  ? Future.failedFuture(noKeys())
                  : Future.succeededFuture(KeySource.select(now, kid));
            }));
  }

  private static TokenRejected noKeys() {
    return TokenRejected.unavailable("token signing keys are not available yet; retry later");
  }

  /**
   * Starts a fetch, or joins the one running; null when the interval forbids one. A fetch for an
   * unknown key id ({@code kidMiss}) is limited by the last such fetch, any other by the last
   * attempt of any kind.
   */
  private Future<Void> refetch(boolean kidMiss) {
    Promise<Void> p;
    synchronized (lock) {
      if (inflight != null) {
        return inflight;
      }
      long now = clock.nanoTime();
      boolean recent =
          kidMiss
              ? missed && now - missedAt < minIntervalNanos
              : attempted && now - attemptedAt < minIntervalNanos;
      if (recent) {
        return null;
      }
      if (kidMiss) {
        missed = true;
        missedAt = now;
      }
      attempted = true;
      attemptedAt = now;
      p = Promise.promise();
      inflight = p.future();
    }
    Promise<List<JWK>> fetched = Promise.promise();
    // Started on a worker or on another loop, the response could end before its handlers are set.
    loop.runOnContext(v -> fetch().onComplete(fetched));
    fetched
        .future()
        .onComplete(
            ar -> {
              synchronized (lock) {
                inflight = null;
                if (ar.succeeded()) {
                  keys = ar.result();
                  fetchedAt = clock.nanoTime();
                }
              }
              if (ar.failed()) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "JWKS fetch from "
                        + url
                        + " failed, keeping "
                        + (keys == null ? "no keys" : "the cached keys")
                        + ": "
                        + ar.cause());
                p.fail(ar.cause());
              } else {
                p.complete();
              }
            });
    return p.future();
  }

  private Future<List<JWK>> fetch() {
    Promise<List<JWK>> result = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    Clock.Cancellable timer =
        clock.schedule(
            timeout,
            () -> {
              if (result.tryFail("no answer within " + timeout.toMillis() + "ms")
                  && sent[0] != null) {
                sent[0].reset();
              }
            });
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .putHeader("accept", "application/json"))
        .compose(
            req -> {
              sent[0] = req;
              return req.send();
            })
        .compose(
            resp -> {
              if (resp.statusCode() != 200) {
                return Future.failedFuture("status " + resp.statusCode());
              }
              Buffer body = Buffer.buffer();
              Promise<Buffer> read = Promise.promise();
              resp.handler(
                  chunk -> {
                    if (body.length() + chunk.length() > MAX_JWKS_BYTES) {
                      read.tryFail("JWKS larger than " + MAX_JWKS_BYTES + " bytes");
                      resp.request().reset();
                    } else {
                      body.appendBuffer(chunk);
                    }
                  });
              resp.exceptionHandler(read::tryFail);
              resp.endHandler(v -> read.tryComplete(body));
              return read.future();
            })
        .map(
            body -> {
              try {
                List<JWK> usable = KeySource.usable(JWKSet.parse(body.toString()).getKeys());
                if (usable.isEmpty()) {
                  throw new IllegalStateException("the JWKS has no usable signing key");
                }
                return usable;
              } catch (java.text.ParseException e) {
                throw new IllegalStateException("not a JWKS: " + e.getMessage(), e);
              }
            })
        .onComplete(
            ar -> {
              timer.cancel();
              if (ar.succeeded()) {
                result.tryComplete(ar.result());
              } else {
                result.tryFail(ar.cause());
              }
            });
    return result.future();
  }

  /** Hands a shared fetch's outcome back on the caller's event loop. */
  private static <T> Future<T> onCaller(Future<T> f) {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      return f;
    }
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
