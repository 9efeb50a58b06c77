package dev.medley.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The admin listener, never on the public port: health and readiness for orchestrators, plus
 * routes other parts register (demo fault switches, and later metrics and invalidation). Every
 * route but health requires {@code Authorization: Bearer <token>}, compared in constant time.
 */
public final class AdminServer {
  private final String token;
  private final BooleanSupplier ready;
  private final List<Route> routes = new ArrayList<>();
  private HttpServer server;

  private record Route(String method, String prefix, Handler<HttpServerRequest> handler) {}

  /** {@code token} is required: there is no unauthenticated mode (see {@link #randomToken()}). */
  public AdminServer(String token, BooleanSupplier ready) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("admin token: " + (token == null ? "null" : "blank") + " (expected a non-empty token)");
    }
    this.token = token;
    this.ready = ready;
  }

  /** Adds a handler for requests whose path starts with {@code prefix}; register before start. */
  public AdminServer route(String method, String prefix, Handler<HttpServerRequest> handler) {
    routes.add(new Route(method, prefix, handler));
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
    if (path.equals("/health/live")) {
      json(req, 200, "{\"status\":\"up\"}");
      return;
    }
    if (path.equals("/health/ready")) {
      boolean ok = ready.getAsBoolean();
      json(req, ok ? 200 : 503, ok ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}");
      return;
    }
    if (!authorized(req.getHeader("authorization"))) {
      req.response().putHeader("www-authenticate", "Bearer realm=\"medley-admin\"");
      json(req, 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"admin token required\"}");
      return;
    }
    for (Route r : routes) {
      if (path.startsWith(r.prefix)) {
        if (!r.method.equals(req.method().name())) {
          req.response().putHeader("allow", r.method);
          json(req, 405, "{\"title\":\"Method Not Allowed\",\"status\":405}");
        } else {
          r.handler.handle(req);
        }
        return;
      }
    }
    json(req, 404, "{\"title\":\"Not Found\",\"status\":404}");
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
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
}
