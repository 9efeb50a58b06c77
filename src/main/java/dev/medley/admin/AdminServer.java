package dev.medley.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin listener, never on the public port: health and readiness for orchestrators, plus routes
 * other parts register (reload, config view, demo fault switches, and later metrics and
 * invalidation). Every route but health requires {@code Authorization: Bearer <token>}, compared in
 * constant time; while the supplier has no token everything but health is refused (the gateway
 * supplies a generated one when the config sets none, see {@link #randomToken()}). The token is
 * read per request, so a reload can rotate it.
 */
public final class AdminServer {
  /** Liveness: 200 while the process can answer at all. */
  public static final String LIVE_PATH = "/health/live";

  /** Readiness: 200 when this replica should get traffic, 503 otherwise (see {@link Readiness}). */
  public static final String READY_PATH = "/health/ready";

  private final Supplier<String> token;
  private final Supplier<Readiness> readiness;
  private final List<Route> routes = new ArrayList<>();
  private final List<Route> open = new ArrayList<>();
  private HttpServer server;

  private record Route(
      String method, String prefix, Handler<HttpServerRequest> handler, boolean secure) {}

  public AdminServer(Supplier<String> token, Supplier<Readiness> readiness) {
    this.token = token;
    this.readiness = readiness;
  }

  /** Adds a handler for requests whose path starts with {@code prefix}; register before start. */
  public AdminServer route(String method, String prefix, Handler<HttpServerRequest> handler) {
    routes.add(new Route(method, prefix, handler, false));
    return this;
  }

  /**
   * Adds a handler answered without the token, like health: only for content that holds no data
   * (the dashboard's page and assets, which ask for the token themselves).
   */
  public AdminServer openRoute(String method, String prefix, Handler<HttpServerRequest> handler) {
    open.add(new Route(method, prefix, handler, false));
    return this;
  }

  /**
   * As {@link #route}, but answered 403 unless an admin token is configured (and then required).
   */
  public AdminServer secureRoute(String method, String prefix, Handler<HttpServerRequest> handler) {
    routes.add(new Route(method, prefix, handler, true));
    return this;
  }

  public Future<Integer> start(Vertx vertx, String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals(LIVE_PATH)) {
      json(req, 200, "{\"status\":\"up\"}");
      return;
    }
    if (path.equals(READY_PATH)) {
      Readiness r = readiness.get();
      json(req, r.ready() ? 200 : 503, r.json().toString());
      return;
    }
    for (Route r : open) {
      if (path.startsWith(r.prefix) && r.method.equals(req.method().name())) {
        r.handler.handle(req);
        return;
      }
    }
    String expected = token.get();
    if (expected == null || !authorized(req.getHeader("authorization"), expected)) {
      req.response().putHeader("www-authenticate", "Bearer realm=\"medley-admin\"");
      problem(req, 401, "Unauthorized", "admin token required");
      return;
    }
    for (Route r : routes) {
      if (path.startsWith(r.prefix)) {
        if (!r.method.equals(req.method().name())) {
          req.response().putHeader("allow", r.method);
          problem(
              req,
              405,
              "Method Not Allowed",
              req.method().name() + " is not allowed here (allowed: " + r.method + ")");
        } else if (r.secure && expected == null) {
          problem(
              req, 403, "Forbidden", "this endpoint is disabled until server.admin.token is set");
        } else {
          r.handler.handle(req);
        }
        return;
      }
    }
    problem(req, 404, "Not Found", "no admin endpoint at " + path);
  }

  private static boolean authorized(String header, String expected) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh 256-bit token, for when the config sets none: the admin API is never open. */
  public static String randomToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Writes a small JSON answer; for admin route handlers too. */
  public static void json(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  /** Writes an RFC 9457 problem; for admin route handlers too. */
  public static void problem(HttpServerRequest req, int status, String title, String detail) {
    String body =
        "{\"type\":\"about:blank\",\"title\":"
            + io.vertx.core.json.Json.encode(title)
            + ",\"status\":"
            + status
            + ",\"detail\":"
            + io.vertx.core.json.Json.encode(detail)
            + "}";
    req.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/problem+json")
        .end(body);
  }
}
