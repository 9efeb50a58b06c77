package dev.medley.upstream.client;

import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.http1.Http1Client;
import dev.medley.upstream.resilience.InstanceSet;
import dev.medley.upstream.resilience.Rejection;
import dev.medley.upstream.resilience.ResilienceListener;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.Map;

/**
 * The real HTTP call at the end of an upstream's policy chain: picks an instance, then sends
 * through a pooled keep-alive client (the lean {@link Http1Client} for plain-text HTTP/1.1,
 * Vert.x's for TLS and HTTP/2, where configured and offered) with the attempt timeout on the
 * injected clock, the remaining time in the deadline header, and the response size limit. An
 * attempt with no time left is never sent.
 */
public final class HttpUpstreamClient implements UpstreamCall {
  private final String name;

  /**
   * Plain-text HTTP/1.1 instances: the lean client; TLS and HTTP/2 ones: Vert.x's (null when none).
   */
  private final Http1Client http1;

  private final HttpClient client;
  private final InstanceSet instances;
  private final long maxBody;
  private final Map<String, String> fixedHeaders;
  private final String deadlineHeader;
  private final Clock clock;
  private final ResilienceListener events;

  /** Follows same-origin redirects within an attempt; null (the default) when they are failures. */
  private final Redirects redirects;

  private HttpUpstreamClient(
      Vertx vertx, UpstreamSpec spec, Clock clock, ResilienceListener events) {
    this.name = spec.name();
    this.instances = InstanceSet.of(spec, clock, events);
    this.maxBody = spec.maxResponseSize();
    this.fixedHeaders = spec.headers();
    this.deadlineHeader = spec.deadlineHeader();
    this.clock = clock;
    this.events = events;
    this.redirects =
        spec.followRedirects() == null
            ? null
            : new Redirects(name, spec.followRedirects().maxHops(), clock);
    boolean h2c = spec.http2() == UpstreamSpec.Http2.H2C;
    boolean anyPlain = spec.urls().stream().anyMatch(u -> !u.startsWith("https:"));
    boolean anyTls = spec.urls().stream().anyMatch(u -> u.startsWith("https:"));
    this.http1 =
        !h2c && anyPlain
            ? new Http1Client(
                vertx,
                new Http1Client.Settings(
                    name,
                    spec.maxConnections(),
                    maxBody,
                    connectTimeoutMs(spec),
                    (int) spec.keepAliveTimeout().toSeconds()))
            : null;
    this.client =
        h2c || anyTls
            ? vertx
                .httpClientBuilder()
                .with(options(spec))
                .with(
                    new PoolOptions()
                        .setHttp1MaxSize(spec.maxConnections())
                        .setHttp2MaxSize(Math.min(spec.maxConnections(), 4)))
                .build()
            : null;
  }

  private static int connectTimeoutMs(UpstreamSpec spec) {
    return (int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis());
  }

  private static HttpClientOptions options(UpstreamSpec spec) {
    HttpClientOptions o =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout((int) spec.keepAliveTimeout().toSeconds())
            .setHttp2KeepAliveTimeout((int) spec.keepAliveTimeout().toSeconds())
            .setConnectTimeout(connectTimeoutMs(spec));
    boolean allTls = spec.urls().stream().allMatch(u -> u.startsWith("https:"));
    switch (spec.http2()) {
      case OFF -> o.setProtocolVersion(HttpVersion.HTTP_1_1);
      // Prior knowledge: no upgrade round trip; the upstream must speak h2 on its plain port.
      case H2C ->
          o.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setUseAlpn(true);
      // ALPN lets a TLS upstream choose h2 or HTTP/1.1; plain http stays HTTP/1.1 (no upgrade
      // guessing).
      case AUTO ->
          o.setProtocolVersion(allTls ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
              .setUseAlpn(allTls);
    }
    if (spec.tls() != null) {
      // A private CA instead of the JVM's trust store, and a client certificate for mutual TLS;
      // host names are still verified.
      if (spec.tls().ca() != null) {
        o.setTrustOptions(new PemTrustOptions().addCertPath(spec.tls().ca()));
      }
      if (spec.tls().cert() != null) {
        o.setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(spec.tls().cert()).setKeyPath(spec.tls().key()));
      }
    }
    return o;
  }

  public static HttpUpstreamClient create(Vertx vertx, UpstreamSpec spec, Clock clock) {
    return new HttpUpstreamClient(vertx, spec, clock, ResilienceListener.NONE);
  }

  public static HttpUpstreamClient create(
      Vertx vertx, UpstreamSpec spec, Clock clock, ResilienceListener events) {
    return new HttpUpstreamClient(vertx, spec, clock, events);
  }

  public String name() {
    return name;
  }

  @Override
  public Future<UpstreamResponse> call(UpstreamRequest r) {
    long start = clock.nanoTime();
    long nanos = r.attemptNanos(start);
    if (nanos < 1_000_000L) {
      // Less than a millisecond left: the upstream could not use it, so the request is not sent.
      UpstreamException.Kind kind =
          r.deadlineBinds(start) ? UpstreamException.Kind.DEADLINE : UpstreamException.Kind.TIMEOUT;
      return Future.failedFuture(
          new UpstreamException(kind, name, "no time was left to call upstream '" + name + "'"));
    }
    MultiMap headers = Http1Client.headers();
    try {
      if (r.headers() != null) {
        headers.addAll(r.headers());
      }
      fixedHeaders.forEach(headers::set);
    } catch (IllegalArgumentException e) {
      // A CR or LF in a header value: refused here, never sent.
      return Future.failedFuture(
          new UpstreamException(
              UpstreamException.Kind.RESET,
              name,
              "request to upstream '" + name + "' not sent: " + e.getMessage()));
    }
    InstanceSet.Pick pick = instances.pick();
    if (pick == null) {
      events.rejected(name, Rejection.NO_INSTANCE);
      return Future.failedFuture(
          UpstreamException.rejected(
              name,
              "every instance of upstream '" + name + "' is ejected",
              instances.retryAfter()));
    }
    InstanceSet.Instance inst = pick.instance();
    r.notes().attempted();
    if (deadlineHeader != null) {
      headers.set(deadlineHeader, Long.toString(nanos / 1_000_000L));
    }
    String uri = inst.basePath().isEmpty() ? r.pathAndQuery() : inst.basePath() + r.pathAndQuery();
    UpstreamException.Kind onTimeout =
        r.deadlineBinds(start) ? UpstreamException.Kind.DEADLINE : UpstreamException.Kind.TIMEOUT;
    Duration timeout = Duration.ofNanos(nanos);
    Future<UpstreamResponse> answer;
    if (redirects == null) {
      answer = send(inst, r.method(), uri, headers, r.body(), timeout, onTimeout);
    } else {
      MultiMap before = Redirects.copy(headers);
      answer =
          send(inst, r.method(), uri, headers, r.body(), timeout, onTimeout)
              .compose(
                  first ->
                      redirects.follow(
                          first,
                          inst,
                          r.method(),
                          uri,
                          before,
                          r.body(),
                          start,
                          nanos,
                          onTimeout,
                          (m, u, h, b, t) -> {
                            if (deadlineHeader != null) {
                              h.set(deadlineHeader, Long.toString(t.toMillis()));
                            }
                            return send(inst, m, u, h, b, t, onTimeout);
                          }));
    }
    // A listener, not andThen: it runs before the caller's (listeners run in the order added)
    // without an extra future per call; a Completable, which Vert.x does not wrap.
    return answer.onComplete(
        (response, failure) -> pick.done(response, failure, clock.nanoTime() - start));
  }

  /** One exchange with {@code inst}: the lean client for plain HTTP/1.1, else Vert.x's. */
  private Future<UpstreamResponse> send(
      InstanceSet.Instance inst,
      String method,
      String uri,
      MultiMap headers,
      io.vertx.core.buffer.Buffer body,
      Duration timeout,
      UpstreamException.Kind onTimeout) {
    if (!inst.ssl() && http1 != null) {
      return http1.send(
          inst.label(),
          inst.host(),
          inst.port(),
          method,
          uri,
          headers,
          body,
          clock,
          timeout,
          onTimeout);
    }
    RequestOptions opts =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost(inst.host())
            .setPort(inst.port())
            .setSsl(inst.ssl())
            .setURI(uri)
            .setHeaders(headers);
    Promise<UpstreamResponse> promise = Promise.promise();
    new HttpExchange(name, maxBody, promise).send(client, opts, body, clock, timeout, onTimeout);
    return promise.future();
  }

  public Future<Void> close() {
    if (http1 != null) {
      http1.close();
    }
    return client == null ? Future.succeededFuture() : client.close();
  }
}
