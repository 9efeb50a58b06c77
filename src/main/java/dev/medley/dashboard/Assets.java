package dev.medley.dashboard;

import dev.medley.admin.AdminServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's page, script and style, read once from the jar ({@code dashboard/} on the class
 * path): nothing is fetched from elsewhere, and the content security policy says so to the browser
 * (same-origin scripts, styles and calls only, no framing).
 */
final class Assets {
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final Map<String, Asset> FILES =
      Map.of(
          "", load("index.html", "text/html; charset=utf-8"),
          "/", load("index.html", "text/html; charset=utf-8"),
          "/app.js", load("app.js", "text/javascript; charset=utf-8"),
          "/app.css", load("app.css", "text/css; charset=utf-8"));

  private record Asset(Buffer body, String type) {}

  private Assets() {}

  private static Asset load(String name, String type) {
    try (InputStream in = Assets.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard/" + name + " is missing from the jar");
      }
      return new Asset(Buffer.buffer(in.readAllBytes()), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void serve(HttpServerRequest req) {
    Asset a = FILES.get(req.path().substring(Dashboard.PAGE.length()));
    if (a == null) {
      AdminServer.problem(req, 404, "Not Found", "no dashboard file at " + req.path());
      return;
    }
    req.response()
        .putHeader("content-type", a.type())
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("cache-control", "no-cache")
        .end(a.body());
  }
}
