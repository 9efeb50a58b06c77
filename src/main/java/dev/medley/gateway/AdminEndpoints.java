package dev.medley.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.admin.AdminServer;
import dev.medley.admin.PlanView;
import dev.medley.config.ConfigError;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The operator endpoints of a gateway, both behind the admin token: {@code POST /admin/reload} (200
 * with the version now serving, 422 problem listing every located error, 409 when there is no
 * config file) and {@code GET /admin/config} (the active plan, secrets redacted). For a folder
 * config both also say which files kept their last good version after an invalid change ({@code
 * partial}, {@code heldBack}, {@code errors}).
 */
final class AdminEndpoints {
  static final String RELOAD = "/admin/reload";
  static final String CONFIG = "/admin/config";
  static final String OPENAPI = "/admin/openapi/";

  private AdminEndpoints() {}

  static void register(AdminServer admin, Gateway gateway) {
    admin.secureRoute("POST", RELOAD, req -> reload(req, gateway));
    admin.secureRoute("GET", CONFIG, req -> config(req, gateway));
    admin.secureRoute("GET", OPENAPI, req -> openapi(req, gateway));
  }

  private static void reload(HttpServerRequest req, Gateway gateway) {
    gateway
        .reload()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                AdminServer.problem(
                    req,
                    500,
                    "Internal Server Error",
                    "the reload failed: " + ar.cause().getMessage());
                return;
              }
              ReloadResult r = ar.result();
              switch (r.status()) {
                case APPLIED, UNCHANGED -> {
                  ObjectNode o =
                      JsonNodeFactory.instance
                          .objectNode()
                          .put("status", r.status().name().toLowerCase(java.util.Locale.ROOT))
                          .put("version", r.version())
                          .put("previousVersion", r.previousVersion());
                  heldBack(o, r);
                  AdminServer.json(req, 200, o.toString());
                }
                case UNAVAILABLE ->
                    AdminServer.problem(
                        req,
                        409,
                        "Conflict",
                        "this gateway was not started from a config file, so there is nothing to reload");
                case REJECTED ->
                    req.response()
                        .setStatusCode(422)
                        .putHeader("content-type", "application/problem+json")
                        .end(rejected(r).toString());
              }
            });
  }

  /**
   * Adds {@code partial}, and for a folder config whose invalid files kept their last good version,
   * {@code heldBack} (those files) and {@code errors} (why, located).
   */
  static void heldBack(ObjectNode o, ReloadResult r) {
    o.put("partial", r.partial());
    if (r.partial()) {
      r.heldBack().forEach(o.putArray("heldBack")::add);
      errors(o.putArray("errors"), r.errors());
    }
  }

  private static void errors(ArrayNode errors, List<ConfigError> list) {
    for (ConfigError e : list) {
      errors
          .addObject()
          .put("file", e.at().file())
          .put("line", e.at().line())
          .put("column", e.at().column())
          .put("path", e.path())
          .put("message", e.message())
          .put("text", e.format());
    }
  }

  private static ObjectNode rejected(ReloadResult r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "urn:medley:problem:invalid-config");
    o.put("title", "Invalid config");
    o.put("status", 422);
    o.put(
        "detail",
        r.errors().size() + " config error(s); version " + r.version() + " keeps serving");
    o.put("version", r.version());
    errors(o.putArray("errors"), r.errors());
    return o;
  }

  private static void config(HttpServerRequest req, Gateway gateway) {
    List<PlanView.Draining> draining = gateway.draining();
    ConfigSource src = gateway.source();
    ObjectNode view = PlanView.render(gateway.plan(), src == null ? null : src.name(), draining);
    heldBack(view, gateway.heldBack()); // a folder's files still on their last good version
    AdminServer.json(req, 200, view.toString());
  }

  /**
   * {@code GET /admin/openapi/{experience}}: the live plan's OpenAPI document for the experience.
   */
  private static void openapi(HttpServerRequest req, Gateway gateway) {
    String name = req.path().substring(OPENAPI.length());
    com.fasterxml.jackson.databind.node.ObjectNode doc =
        dev.medley.admin.OpenApi.document(gateway.plan(), name);
    if (doc == null) {
      AdminServer.problem(
          req,
          404,
          "Not Found",
          "no experience '"
              + name
              + "' (expected one of: "
              + String.join(", ", dev.medley.admin.OpenApi.experiences(gateway.plan()))
              + ")");
      return;
    }
    AdminServer.json(req, 200, doc.toString());
  }
}
