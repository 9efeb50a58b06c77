package dev.medley.edge;

import dev.medley.config.LimitsSpec;
import dev.medley.time.Clock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public HTTP listener: reads each request (body within its limit), gives it a request id, runs
 * the edge handler chain and writes the reply. One verticle per event loop shares the port. Below
 * the handler, {@link ConnectionGuard} caps connections, times request heads, refuses ambiguous
 * framing and makes every close linger ({@link LingeringClose}). Once {@link #shutdown draining}
 * starts, every answer says {@code Connection: close} and requests that arrive after it get a 503,
 * so no keep-alive client sends another request into a closing connection.
 */
public final class EdgeServer {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final EdgeHandler handler;
  private final Clock clock;
  private final long maxBodyBytes;
  private final HttpServerOptions options;
  private final ConnectionGuard guard;

  /**
   * Set when a graceful shutdown starts: answers close their connection, new requests get a 503.
   */
  private volatile boolean draining;

  private final AtomicInteger port = new AtomicInteger();
  private final java.util.List<String> deployments =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<HttpServer> servers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public EdgeServer(EdgeHandler handler, Clock clock, long maxBodyBytes) {
    this(
        handler,
        clock,
        maxBodyBytes,
        new HttpServerOptions().setIdleTimeout(60),
        LimitsSpec.DEFAULT);
  }

  /**
   * With listener options (TLS, codec limits, idle timeout) and connection limits (header timeout,
   * connection cap) from {@code server:}.
   */
  public EdgeServer(
      EdgeHandler handler,
      Clock clock,
      long maxBodyBytes,
      HttpServerOptions options,
      LimitsSpec limits) {
    this.handler = handler;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.options = new HttpServerOptions(options);
    this.guard =
        new ConnectionGuard(clock, limits.headerTimeout(), limits.maxConnections(), this.options);
  }

  /** Connections open now on the public port. */
  public int openConnections() {
    return guard.open();
  }

  /** Starts {@code instances} listeners on {@code host:port}; completes with the bound port. */
  public Future<Integer> start(Vertx vertx, String host, int requestedPort, int instances) {
    if (requestedPort == 0 && instances > 1) {
      // An ephemeral port is only known after the first bind; the others then share it.
      return start(vertx, host, 0, 1).compose(p -> start(vertx, host, p, instances - 1));
    }
    return vertx
        .deployVerticle(
            () -> new Listener(host, requestedPort),
            new DeploymentOptions().setInstances(instances))
        .map(
            id -> {
              deployments.add(id);
              return port.get();
            });
  }

  public int port() {
    return port.get();
  }

  /**
   * Stops accepting connections at once, lets requests in flight finish for up to {@code grace},
   * closes every connection (idle ones at once, busy ones after their answer) and then undeploys
   * the listeners. Completes when all of that is done.
   */
  public Future<Void> shutdown(Vertx vertx, java.time.Duration grace) {
    draining = true;
    java.util.List<Future<Void>> all = new java.util.ArrayList<>();
    servers.forEach(
        s -> all.add(s.shutdown(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)));
    servers.clear();
    return Future.join(all).eventually(() -> stop(vertx)).mapEmpty();
  }

  /**
   * Stops listening; requests already read still complete. Connections still lingering after their
   * last answer close now (after a shutdown, its grace is over).
   */
  public Future<Void> stop(Vertx vertx) {
    guard.stop();
    java.util.List<Future<Void>> all = new java.util.ArrayList<>();
    deployments.forEach(id -> all.add(vertx.undeploy(id)));
    deployments.clear();
    return Future.all(all).mapEmpty();
  }

  private final class Listener extends VerticleBase {
    private final String host;
    private final int requestedPort;

    Listener(String host, int requestedPort) {
      this.host = host;
      this.requestedPort = requestedPort;
    }

    @Override
    public Future<?> start() {
      HttpServer server = vertx.createHttpServer(options);
      server.requestHandler(EdgeServer.this::accept);
      server.invalidRequestHandler(EdgeServer.this::invalid);
      server.connectionHandler(guard::accept);
      return server
          .listen(requestedPort, host)
          .onSuccess(
              s -> {
                port.compareAndSet(0, s.actualPort());
                servers.add(s);
              });
    }
  }

  private void accept(HttpServerRequest http) {
    long start = clock.nanoTime();
    String requestId = RequestIds.accept(http.getHeader("x-request-id"));
    if (draining) {
      Reply r =
          Problem.reply(
              503,
              "shutting-down",
              "Service Unavailable",
              "the gateway is shutting down; retry on a new connection",
              null);
      r.headers().set("retry-after", "1");
      write(http, r, requestId);
      return;
    }
    String method = http.method().name();
    if (!BODY_METHODS.contains(method)) {
      dispatch(http, start, requestId, null);
      return;
    }
    String len = http.getHeader("content-length");
    if (len != null && parseLength(len) > maxBodyBytes) {
      tooLarge(http, requestId);
      return;
    }
    if (http.version() == HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(http.getHeader("expect"))) {
      // The client holds the body back until told to send it (curl waits a second otherwise);
      // a body declared too large got its 413 above without this interim answer.
      http.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    boolean[] rejected = {false};
    http.handler(
        chunk -> {
          if (rejected[0]) {
            return;
          }
          if ((long) body.length() + chunk.length() > maxBodyBytes) {
            rejected[0] = true;
            tooLarge(http, requestId);
          } else {
            body.appendBuffer(chunk);
          }
        });
    http.endHandler(
        v -> {
          if (!rejected[0]) {
            dispatch(http, start, requestId, body);
          }
        });
  }

  /**
   * Requests the HTTP/1.1 decoder refused (request line or headers over the codec limits, bad
   * syntax): answered with a problem like everything else, then the connection is closed.
   */
  private void invalid(HttpServerRequest http) {
    Throwable cause = http.decoderResult().cause();
    String msg = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    Reply r;
    if (cause instanceof io.netty.handler.codec.TooLongFrameException && msg.contains("line")) {
      r =
          Problem.reply(
              414,
              "url-too-long",
              "URI Too Long",
              "the request line is longer than the server accepts",
              null);
    } else if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
      r =
          Problem.reply(
              431,
              "headers-too-large",
              "Request Header Fields Too Large",
              "the request headers are larger than the server accepts",
              null);
    } else {
      r =
          Problem.reply(
              400, "malformed-request", "Bad Request", "the request is not valid HTTP", null);
    }
    r.headers().set("connection", "close");
    write(http, r, RequestIds.accept(null));
  }

  private static long parseLength(String len) {
    try {
      return Long.parseLong(len.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void tooLarge(HttpServerRequest http, String requestId) {
    EdgeRequest req =
        new EdgeRequest(
            http.method().name(),
            http.path(),
            http.query(),
            http.params(),
            http.headers(),
            null,
            remote(http),
            requestId,
            clock.nanoTime());
    Reply r =
        Problem.reply(
            413,
            "body-too-large",
            "Content Too Large",
            "the request body is larger than " + maxBodyBytes + " bytes",
            req);
    r.headers().set("connection", "close");
    write(http, r, requestId);
    closeAfterRequest(http);
  }

  /**
   * How much more of a refused body is read after its 413, and for how long at most: enough for a
   * client still uploading to read its answer rather than a reset, never an unbounded stream.
   */
  static final long DRAIN_BYTES = 1024 * 1024;

  static final java.time.Duration DRAIN_TIME = java.time.Duration.ofSeconds(5);

  /**
   * The 413 said {@code Connection: close}, but Vert.x would keep the connection and serve what is
   * pipelined behind the body. So it closes (lingering) once the request has been read: the rest of
   * the body is drained first, up to {@link #DRAIN_BYTES} and {@link #DRAIN_TIME}, so a client
   * still uploading reads its 413 rather than a reset; at once when the client waits for 100
   * Continue and so sends no body.
   */
  private void closeAfterRequest(HttpServerRequest http) {
    if (http.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      return; // other streams share the connection
    }
    boolean ended = http.isEnded();
    if (http.connection() instanceof io.vertx.core.net.impl.VertxConnection vc) {
      LingeringClose.endAfterCurrentRequest(vc.channel(), ended);
    }
    if (ended || "100-continue".equalsIgnoreCase(http.getHeader("expect"))) {
      http.connection().close();
      return;
    }
    Clock.Cancellable timer = clock.schedule(DRAIN_TIME, () -> http.connection().close());
    long[] drained = {0};
    http.handler(
        chunk -> {
          drained[0] += chunk.length();
          if (drained[0] > DRAIN_BYTES) {
            timer.cancel();
            http.connection().close();
          }
        });
    http.endHandler(
        v -> {
          timer.cancel();
          http.connection().close();
        });
  }

  private void dispatch(HttpServerRequest http, long start, String requestId, Buffer body) {
    EdgeRequest req =
        new EdgeRequest(
            http.method().name(),
            http.path(),
            http.query(),
            http.params(),
            http.headers(),
            body,
            remote(http),
            requestId,
            start);
    Future<Reply> reply;
    try {
      reply = handler.handle(req);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        ar ->
            write(
                http,
                ar.succeeded()
                    ? ar.result()
                    : Problem.reply(
                        500,
                        "internal",
                        "Internal Server Error",
                        "the gateway failed to answer",
                        req),
                requestId));
  }

  private static String remote(HttpServerRequest http) {
    return http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress();
  }

  private void write(HttpServerRequest http, Reply r, String requestId) {
    HttpServerResponse resp = http.response();
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.setStatusCode(r.status());
    resp.headers().addAll(r.headers());
    resp.headers().set("x-request-id", requestId);
    if (draining && http.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      // The connection closes after this answer: say so, so a keep-alive client sends nothing more
      // on it.
      resp.headers().set("connection", "close");
    }
    Buffer body = r.body() == null ? Buffer.buffer() : r.body();
    if (http.method() == io.vertx.core.http.HttpMethod.HEAD) {
      resp.headers().set("content-length", String.valueOf(body.length()));
      resp.end();
    } else {
      resp.end(body);
    }
  }
}
