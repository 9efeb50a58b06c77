package dev.medley.upstream.http1;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lean HTTP/1.1 client for plain-text upstreams, on Netty channels owned by the calling event
 * loop: one exchange is one request head and body written, one response collected, one promise
 * settled. It exists because the profile showed the general-purpose Vert.x client's request,
 * response and future objects costing more per call than the exchange itself (docs/performance.md).
 * TLS and HTTP/2 upstreams keep the Vert.x client.
 *
 * <p>Connections are kept alive and pooled per host:port, at most {@code maxConnections} in all;
 * each connection belongs to one event loop, so a call never changes threads.
 */
public final class Http1Client {
  private final VertxInternal vertx;
  private final Settings settings;
  private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * What every connection of one upstream shares.
   *
   * @param name the upstream, for error messages
   * @param maxConnections open connections per host:port, all event loops together
   * @param maxBody largest response body accepted, in bytes
   * @param connectTimeoutMs TCP connect timeout
   * @param keepAliveSeconds an idle connection is closed after this long
   */
  public record Settings(
      String name, int maxConnections, long maxBody, int connectTimeoutMs, int keepAliveSeconds) {}

  public Http1Client(Vertx vertx, Settings settings) {
    this.vertx = (VertxInternal) vertx;
    this.settings = settings;
  }

  /**
   * Sends one request to {@code host:port} and collects the whole answer. {@code endpoint} is the
   * caller's fixed {@code host:port} string, which keys the pools without building a key per call.
   * {@code headers}, made by {@link #headers()}, are sent as given plus {@code host} and {@code
   * content-length}; the attempt fails with {@code timeoutKind} when {@code timeout} passes on
   * {@code clock} first.
   */
  public Future<UpstreamResponse> send(
      String endpoint,
      String host,
      int port,
      String method,
      String uri,
      MultiMap headers,
      Buffer body,
      Clock clock,
      Duration timeout,
      UpstreamException.Kind timeoutKind) {
    ContextInternal ctx = vertx.getOrCreateContext();
    Promise<UpstreamResponse> promise = ctx.promise();
    if (closed) {
      promise.fail(
          new UpstreamException(
              UpstreamException.Kind.CONNECT,
              settings.name(),
              "upstream '" + settings.name() + "' client is closed"));
      return promise.future();
    }
    Endpoint pools = endpoints.get(endpoint);
    if (pools == null) {
      pools = endpoints.computeIfAbsent(endpoint, k -> new Endpoint(this, host, port));
    }
    Http1Exchange x;
    try {
      x =
          new Http1Exchange(
              settings.name(),
              settings.maxBody(),
              ctx,
              promise,
              Http1Exchange.request(method, uri, host, port, (HeadersMultiMap) headers, body));
    } catch (IllegalArgumentException e) {
      promise.fail(
          new UpstreamException(
              UpstreamException.Kind.RESET,
              settings.name(),
              "request to upstream '" + settings.name() + "' not sent: " + e.getMessage()));
      return promise.future();
    }
    x.startTimer(clock, timeout, timeoutKind);
    EventLoop loop = ctx.nettyEventLoop();
    LoopPool pool = pools.pool(loop);
    if (loop.inEventLoop()) {
      pool.acquire(x);
    } else {
      loop.execute(() -> pool.acquire(x));
    }
    return promise.future();
  }

  /** Request headers for {@link #send}: names and values validated as they are added. */
  public static MultiMap headers() {
    return HeadersMultiMap.httpHeaders();
  }

  /** The pools of one host:port (for tests). */
  Endpoint endpoint(String host, int port) {
    return endpoints.get(host + ':' + port);
  }

  int maxConnections() {
    return settings.maxConnections();
  }

  /** How long a connection may sit idle in a pool; 0: no limit. */
  long keepAliveNanos() {
    return java.util.concurrent.TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds());
  }

  boolean closed() {
    return closed;
  }

  /** A new connection on {@code loop}; the pool is told when it is up or failed. */
  io.netty.channel.ChannelFuture connect(EventLoop loop, String host, int port, LoopPool pool) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channelFactory(vertx.transport().channelFactory(false))
            .resolver(vertx.nameResolver().nettyAddressResolverGroup())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMs())
            .handler(new Http1Connection.Initializer(pool));
    return b.connect(host, port);
  }

  /** Closes every pooled connection; calls still in flight fail as broken connections. */
  public Future<Void> close() {
    closed = true;
    endpoints.values().forEach(Endpoint::closeAll);
    return Future.succeededFuture();
  }
}
