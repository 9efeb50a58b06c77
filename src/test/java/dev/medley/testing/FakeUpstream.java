package dev.medley.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A controllable upstream on a real socket (127.0.0.1, ephemeral port). Each path prefix can be
 * told to answer JSON, answer a status, stall, reset the connection, send garbage, truncate its
 * body or send a huge one. Every received request is recorded, and {@link #awaitRequests} lets a
 * test wait for arrivals instead of sleeping.
 */
public final class FakeUpstream implements AutoCloseable {
  /** A request as the upstream saw it. */
  public record Received(String method, String uri, MultiMap headers, String body) {}

  private final Vertx vertx;

  /** What the upstream does with one request; {@code body} is the request body already read. */
  @FunctionalInterface
  public interface Behaviour {
    void handle(HttpServerRequest req, Buffer body);
  }

  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> stalled = new CopyOnWriteArrayList<>();
  private final Semaphore arrivals = new Semaphore(0);
  private final List<HttpServerRequest> dripping = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger openConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger acceptedConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private HttpServer server;

  private FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public static FakeUpstream start(Vertx vertx) {
    FakeUpstream f = new FakeUpstream(vertx);
    f.server =
        vertx
            .createHttpServer()
            .requestHandler(f::handle)
            .connectionHandler(
                conn -> {
                  f.acceptedConnections.incrementAndGet();
                  f.openConnections.incrementAndGet();
                  conn.closeHandler(
                      v -> {
                        f.openConnections.decrementAndGet();
                        synchronized (f.openConnections) {
                          f.openConnections.notifyAll();
                        }
                      });
                });
    try {
      f.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return f;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              received.add(
                  new Received(
                      req.method().name(),
                      req.uri(),
                      MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                      body.toString()));
              Behaviour b = match(req.path());
              if (b == null) {
                json(404, "{\"error\":\"no behaviour for " + req.path() + "\"}").handle(req, body);
              } else {
                b.handle(req, body);
              }
              arrivals.release();
            });
  }

  private Behaviour match(String path) {
    Behaviour best = null;
    int bestLen = -1;
    for (Map.Entry<String, Behaviour> e : behaviours.entrySet()) {
      if (path.startsWith(e.getKey()) && e.getKey().length() > bestLen) {
        best = e.getValue();
        bestLen = e.getKey().length();
      }
    }
    return best;
  }

  /** Requests to paths starting with {@code prefix} get {@code behaviour}. */
  public FakeUpstream on(String prefix, Behaviour behaviour) {
    behaviours.put(prefix, behaviour);
    return this;
  }

  public static Behaviour json(int status, String body) {
    return (req, in) ->
        req.response()
            .setStatusCode(status)
            .putHeader("content-type", "application/json")
            .end(body);
  }

  public static Behaviour json(String body) {
    return json(200, body);
  }

  /** Answers the request's own URI (and body) as JSON, to show what the gateway sent. */
  public static Behaviour echo() {
    return (req, b) ->
        req.response().putHeader("content-type", "application/json").end(echoBody(req, b));
  }

  private static String echoBody(HttpServerRequest req, Buffer b) {
    String payload = b == null || b.length() == 0 ? "null" : b.toString();
    return "{\"uri\":"
        + io.vertx.core.json.Json.encode(req.uri())
        + ",\"method\":\""
        + req.method().name()
        + "\",\"body\":"
        + payload
        + "}";
  }

  /** Never answers until {@link #releaseStalled} is called. */
  public Behaviour stall() {
    return (req, body) -> stalled.add(req);
  }

  /** Answers every stalled request with {@code body}. */
  public void releaseStalled(String body) {
    List<HttpServerRequest> now = List.copyOf(stalled);
    stalled.clear();
    now.forEach(r -> r.response().putHeader("content-type", "application/json").end(body));
  }

  /** Answers every stalled request with an echo of what it asked. */
  public void releaseStalledEcho() {
    List<HttpServerRequest> now = List.copyOf(stalled);
    stalled.clear();
    now.forEach(
        r -> r.response().putHeader("content-type", "application/json").end(echoBody(r, null)));
  }

  /** Closes the connection without answering. */
  public static Behaviour reset() {
    return (req, body) -> req.connection().close();
  }

  /** Sends headers and half a body, then resets. */
  public static Behaviour truncateMidBody() {
    return (req, body) -> {
      req.response().setChunked(true).putHeader("content-type", "application/json");
      req.response().write("{\"id\":\"1\",\"na").onComplete(x -> req.connection().close());
    };
  }

  /** A complete answer whose JSON is cut short. */
  public static Behaviour truncatedJson() {
    return json(200, "{\"id\":\"1\",\"name\":\"Sho");
  }

  /** Bytes that are not JSON. */
  public static Behaviour garbage() {
    return (req, body) ->
        req.response()
            .putHeader("content-type", "application/json")
            .end(Buffer.buffer(new byte[] {0x13, 0x37, (byte) 0xff, '<', 'h'}));
  }

  /** A valid JSON body of about {@code bytes} bytes. */
  public static Behaviour big(int bytes) {
    String body = "{\"pad\":\"" + "x".repeat(bytes) + "\"}";
    return json(200, body);
  }

  /** Sends headers and the start of a body, then never finishes (until the client gives up). */
  public static Behaviour stallAfterHeaders() {
    return (req, body) ->
        req.response()
            .setChunked(true)
            .putHeader("content-type", "application/json")
            .write("{\"id\":");
  }

  /** Sends headers, then one body byte each time the test calls {@link #drip()}; never ends. */
  public Behaviour dripping() {
    return (req, body) -> {
      req.response().setChunked(true).putHeader("content-type", "application/json").write("[");
      dripping.add(req);
    };
  }

  /** Writes one more byte to every dripping response whose connection is still open. */
  public void drip() {
    for (HttpServerRequest r : dripping) {
      if (!r.response().closed()) {
        r.response().write("1,");
      }
    }
  }

  /** Answers each request with the next behaviour in order; the last one repeats. */
  public static Behaviour sequence(Behaviour... steps) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return (req, body) -> steps[Math.min(n.getAndIncrement(), steps.length - 1)].handle(req, body);
  }

  /** Connections open now (accepted and not yet closed). */
  public int openConnections() {
    return openConnections.get();
  }

  /** Connections accepted since start. */
  public int acceptedConnections() {
    return acceptedConnections.get();
  }

  /**
   * Waits (up to 10s) until at most {@code n} connections are open; for leak checks after resets.
   */
  public void awaitOpenConnectionsAtMost(int n) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (openConnections) {
      while (openConnections.get() > n) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected at most " + n + " open connection(s), still " + openConnections.get());
        }
        try {
          openConnections.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public long count(String prefix) {
    return received.stream().filter(r -> r.uri().startsWith(prefix)).count();
  }

  /** Waits until {@code n} more requests have arrived (since the last wait). */
  public void awaitRequests(int n) {
    try {
      if (!arrivals.tryAcquire(n, 10, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "expected "
                + n
                + " request(s), got "
                + arrivals.availablePermits()
                + " within 10s; received "
                + received);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Test teardown: the Vertx instance is closed next anyway.
    }
  }
}
