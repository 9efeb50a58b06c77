package dev.medley.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.OAuth2Spec;
import dev.medley.json.Json;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Service credentials from an OAuth2 token endpoint (client-credentials grant, client authenticated
 * with HTTP Basic): the token is fetched on first use, shared by concurrent calls, cached on the
 * injected clock until {@code refreshBefore} ahead of its expiry, and sent as {@code Authorization:
 * Bearer}. An upstream 401 drops the cached token so the next call fetches a new one. Innermost
 * policy, so every retry attempt carries a valid token.
 */
public final class ClientCredentialsPolicy implements UpstreamPolicy {
  private static final int MAX_TOKEN_RESPONSE = 64 * 1024;

  /** Lifetime assumed when the endpoint does not say ({@code expires_in} is only recommended). */
  private static final long DEFAULT_LIFETIME_SECONDS = 60;

  private final String upstream;
  private final OAuth2Spec spec;
  private final HttpClient client;
  private final Clock clock;
  private final String form;
  private final String basic;
  private final Object lock = new Object();
  private volatile Token cached;
  private Future<Token> inflight;

  private record Token(String value, long refreshAtNanos) {}

  /**
   * {@code client} is shared by the gateway's token fetches; {@code upstream} names the upstream in
   * errors.
   */
  public ClientCredentialsPolicy(String upstream, OAuth2Spec spec, HttpClient client, Clock clock) {
    this.upstream = upstream;
    this.spec = spec;
    this.client = client;
    this.clock = clock;
    StringBuilder f = new StringBuilder("grant_type=client_credentials");
    if (!spec.scopes().isEmpty()) {
      f.append("&scope=").append(encode(String.join(" ", spec.scopes())));
    }
    if (spec.audience() != null) {
      f.append("&audience=").append(encode(spec.audience()));
    }
    this.form = f.toString();
    // RFC 6749 2.3.1: id and secret are form-encoded before they are joined for Basic.
    this.basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (encode(spec.clientId()) + ":" + encode(spec.clientSecret()))
                        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next) {
    return token()
        .transform(
            ar -> {
              if (ar.failed()) {
                return Future.failedFuture(
                    new UpstreamException(
                        UpstreamException.Kind.REJECTED,
                        upstream,
                        "could not get a service token for upstream '" + upstream + "'"));
              }
              Token t = ar.result();
              request.headers().set("authorization", "Bearer " + t.value());
              return next.call(request)
                  .onSuccess(
                      resp -> {
                        if (resp.status() == 401) {
                          synchronized (lock) {
                            if (cached == t) {
                              cached = null;
                            }
                          }
                        }
                      });
            });
  }

  private Future<Token> token() {
    Token t = cached;
    if (t != null && clock.nanoTime() < t.refreshAtNanos()) {
      return Future.succeededFuture(t);
    }
    Future<Token> shared;
    synchronized (lock) {
      if (inflight == null) {
        inflight =
            fetch()
                .onComplete(
                    ar -> {
                      synchronized (lock) {
                        inflight = null;
                        if (ar.succeeded()) {
                          cached = ar.result();
                        }
                      }
                    });
      }
      shared = inflight;
    }
    return onCaller(shared);
  }

  private Future<Token> fetch() {
    Promise<Token> result = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    Clock.Cancellable timer =
        clock.schedule(
            spec.timeout(),
            () -> {
              if (result.tryFail(
                      "token endpoint did not answer within " + spec.timeout().toMillis() + "ms")
                  && sent[0] != null) {
                sent[0].reset();
              }
            });
    long started = clock.nanoTime();
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(spec.tokenUrl())
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .putHeader("accept", "application/json")
                .putHeader("authorization", basic))
        .compose(
            req -> {
              sent[0] = req;
              return req.send(form);
            })
        .compose(
            resp ->
                resp.statusCode() == 200
                    ? resp.body()
                    : Future.failedFuture("token endpoint answered " + resp.statusCode()))
        .map(body -> parse(body, started))
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

  private Token parse(Buffer body, long started) {
    if (body.length() > MAX_TOKEN_RESPONSE) {
      throw new IllegalStateException("token response too large");
    }
    JsonNode n;
    try {
      n = Json.parse(body.getBytes());
    } catch (IOException e) {
      throw new IllegalStateException("token response is not JSON", e);
    }
    JsonNode token = n.get("access_token");
    JsonNode type = n.get("token_type");
    if (token == null
        || !token.isTextual()
        || token.textValue().isEmpty()
        || token.textValue().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalStateException("token response has no usable access_token");
    }
    if (type != null && !type.asText().equalsIgnoreCase("bearer")) {
      throw new IllegalStateException("token type " + type.asText() + " is not bearer");
    }
    long lifetime =
        n.path("expires_in").isNumber() ? n.get("expires_in").asLong() : DEFAULT_LIFETIME_SECONDS;
    long lifetimeNanos = Math.max(0, lifetime) * 1_000_000_000L;
    long early = spec.refreshBefore().toNanos();
    // A token shorter-lived than refreshBefore is still used for half its life rather than never
    // cached.
    long useFor = lifetimeNanos > early ? lifetimeNanos - early : lifetimeNanos / 2;
    return new Token(token.textValue(), started + useFor);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Hands a shared fetch's outcome back on the caller's event loop. */
  private static <T> Future<T> onCaller(Future<T> f) {
    Context ctx = Vertx.currentContext();
    if (ctx == null || f.isComplete()) {
      return f;
    }
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
    return p.future();
  }
}
