package dev.medley.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One demo service on its own port: answers its routes, counts requests and applies the current
 * {@link FaultMode}. Mode changes run one after another, so a quick DOWN then OK cannot interleave
 * a close with a listen.
 */
final class DemoServer {
  private static final String HOST = "127.0.0.1";
  private static final String UNMATCHED = "unmatched";

  private final Vertx vertx;
  private final List<DemoRoute> routes;
  private final Supplier<Duration> slowDelay;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final LongAdder total = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> byKind = new ConcurrentHashMap<>();

  private volatile FaultMode mode = FaultMode.OK;
  private volatile HttpServer server;
  private volatile int port;
  private volatile boolean closed;
  private Future<Void> transitions = Future.succeededFuture();

  DemoServer(Vertx vertx, List<DemoRoute> routes, Supplier<Duration> slowDelay) {
    this.vertx = vertx;
    this.routes = routes;
    this.slowDelay = slowDelay;
  }

  /** Binds the requested port (0 picks a free one); later restarts reuse the bound port. */
  Future<Void> start(int requestedPort) {
    return serialize(() -> bind(requestedPort));
  }

  int port() {
    return port;
  }

  FaultMode mode() {
    return mode;
  }

  long requestCount() {
    return total.sum();
  }

  long requestCount(String kind) {
    LongAdder count = byKind.get(kind);
    return count == null ? 0 : count.sum();
  }

  Future<Void> setMode(FaultMode next) {
    return serialize(
        () -> {
          if (closed) {
            return Future.failedFuture(new IllegalStateException("demo upstreams are closed"));
          }
          return apply(next);
        });
  }

  /** Stops listening for good; later mode changes fail. */
  Future<Void> close() {
    return serialize(
        () -> {
          closed = true;
          return apply(FaultMode.DOWN);
        });
  }

  private synchronized Future<Void> serialize(Supplier<Future<Void>> change) {
    Future<Void> next = transitions.transform(previous -> change.get());
    transitions = next;
    return next;
  }

  private Future<Void> apply(FaultMode next) {
    FaultMode previous = mode;
    mode = next;
    if (next == FaultMode.DOWN && previous != FaultMode.DOWN) {
      return unbind();
    }
    if (next != FaultMode.DOWN && previous == FaultMode.DOWN) {
      return bind(port).onFailure(e -> mode = FaultMode.DOWN);
    }
    return Future.succeededFuture();
  }

  private Future<Void> bind(int requestedPort) {
    HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost(HOST));
    created.connectionHandler(this::track).requestHandler(this::handle);
    return created
        .listen(requestedPort, HOST)
        .map(
            bound -> {
              server = bound;
              port = bound.actualPort();
              return null;
            });
  }

  /**
   * Stops accepting, then drops open keep-alive connections so they cannot keep being served.
   * Vert.x 5 also closes them with the server; closing the tracked set keeps DOWN meaning "nothing
   * answers" whatever the server's shutdown policy becomes.
   */
  private Future<Void> unbind() {
    HttpServer current = server;
    server = null;
    Future<Void> stopped = current == null ? Future.succeededFuture() : current.close();
    return stopped
        .transform(ignored -> Future.join(connections.stream().map(HttpConnection::close).toList()))
        .mapEmpty();
  }

  private void track(HttpConnection connection) {
    connections.add(connection);
    connection.closeHandler(ignored -> connections.remove(connection));
  }

  private void handle(HttpServerRequest request) {
    FaultMode current = mode;
    if (current == FaultMode.DOWN) {
      // Accepted just before the server closed: drop it like every other open connection.
      request.connection().close();
      return;
    }
    Match match = match(request);
    count(match == null ? UNMATCHED : match.route().kind());
    request
        .body()
        .onSuccess(
            body -> {
              Reply reply = reply(current, match, body);
              if (current == FaultMode.SLOW) {
                long delay = slowDelay.get().toMillis();
                vertx.setTimer(delay, timer -> send(request.response(), reply));
              } else {
                send(request.response(), reply);
              }
            });
  }

  private static Reply reply(FaultMode current, Match match, Buffer body) {
    if (current == FaultMode.ERROR) {
      return Reply.injectedFailure();
    }
    return match == null ? Reply.notFound() : match.route().answer().apply(match.id(), body);
  }

  private record Match(DemoRoute route, String id) {}

  private Match match(HttpServerRequest request) {
    for (DemoRoute route : routes) {
      String id = route.match(request.method(), request.path());
      if (id != null) {
        return new Match(route, id);
      }
    }
    return null;
  }

  private void count(String kind) {
    total.increment();
    byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  private static void send(HttpServerResponse response, Reply reply) {
    // A slow answer may outlive its connection (client gave up, or the service went down).
    if (response.closed() || response.ended()) {
      return;
    }
    response
        .setStatusCode(reply.status())
        .putHeader("content-type", reply.contentType())
        .end(reply.body().toBuffer());
  }
}
