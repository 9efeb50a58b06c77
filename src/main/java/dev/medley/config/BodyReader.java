package dev.medley.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the keys about bodies and pass-through: a route's {@code proxy:} and {@code requestBody:},
 * a step's {@code forwardBody:} and {@code responseType:}, and checks how they combine with the
 * route (located errors for misuse).
 */
final class BodyReader {
  /** Route keys this reader owns. */
  static final List<String> ROUTE_KEYS = List.of("proxy", "requestBody");

  /** Step keys this reader owns. */
  static final List<String> STEP_KEYS = List.of("forwardBody", "responseType");

  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private BodyReader() {}

  /** The route's {@code proxy:}, or null; {@code routeMethod} is its default method. */
  static ProxySpec proxy(YNode.Fields f, String routeMethod) {
    if (!f.has("proxy")) {
      return null;
    }
    YNode n = f.node("proxy");
    YNode.Fields p = n.fields("upstream", "path", "method", "query", "headers", "timeout");
    p.required("upstream");
    p.required("path");
    for (String clash : List.of("steps", "response")) {
      if (f.has(clash)) {
        f.node(clash)
            .error(
                clash
                    + " on a proxy route (a pass-through route answers with the upstream's own"
                    + " answer: expected either proxy: or steps:, not both)");
      }
    }
    return new ProxySpec(
        p.string("upstream", null),
        p.oneOf("method", routeMethod, "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"),
        p.text("path"),
        Map.copyOf(p.textMap("query")),
        Map.copyOf(p.textMap("headers")),
        p.positiveDuration("timeout", null),
        n.at());
  }

  /**
   * The route's {@code requestBody:}, or null; {@code authMode} is how the route's callers
   * authenticate (jwt, basic or none).
   */
  static RequestBodySpec requestBody(YNode.Fields f, String method, String authMode) {
    boolean bearerOnly = authMode.equals("jwt");
    if (!f.has("requestBody")) {
      return null;
    }
    YNode n = f.node("requestBody");
    YNode.Fields b = n.fields("accept", "jsonWithoutContentType");
    if (!BODY_METHODS.contains(method)) {
      n.error(
          "requestBody on a "
              + method
              + " route (a request body is read for POST, PUT and PATCH only)");
    }
    Set<String> accept = new LinkedHashSet<>();
    if (b.has("accept")) {
      YNode an = b.node("accept");
      for (String kind : Lists.stringOrList(an)) {
        if (!RequestBodySpec.KINDS.contains(kind)) {
          an.error(
              "'"
                  + kind
                  + "'"
                  + Suggest.hint(kind, RequestBodySpec.KINDS)
                  + " (expected some of: "
                  + String.join(", ", RequestBodySpec.KINDS)
                  + ")");
        }
        accept.add(kind);
      }
      if (accept.isEmpty()) {
        an.error(
            "an empty list (expected some of: " + String.join(", ", RequestBodySpec.KINDS) + ")");
      }
    } else {
      accept.add("json");
    }
    if (authMode.equals("basic") && accept.stream().anyMatch(k -> !k.equals("json"))) {
      b.node("accept")
          .error(
              "form, text or bytes on a route with auth: basic (a browser resends cached Basic"
                  + " credentials with a cross-site form post, which needs no CORS preflight:"
                  + " expected json only, or auth: jwt)");
    }
    boolean bare = b.bool("jsonWithoutContentType", false);
    if (bare && !bearerOnly) {
      b.node("jsonWithoutContentType")
          .error(
              "true on a route that does not require a bearer token (expected auth: jwt: a body"
                  + " without Content-Type is a request a cross-site page can send without a CORS"
                  + " preflight; only a route that needs an Authorization header, which such a"
                  + " page cannot add, is safe to accept it)");
    }
    if (bare && !accept.contains("json")) {
      b.node("jsonWithoutContentType")
          .error("true but accept does not list json (expected json among the accepted kinds)");
    }
    return new RequestBodySpec(List.copyOf(new ArrayList<>(accept)), bare, n.at());
  }

  /** A step's body keys; {@code hasBody} and {@code hasBatch} say whether it has those keys. */
  static BodyUse step(YNode.Fields f, String method, boolean hasBody, boolean hasBatch) {
    boolean forward = f.bool("forwardBody", false);
    if (forward) {
      YNode n = f.node("forwardBody");
      if (hasBody) {
        n.error("true together with body (expected one of them: the client's body or a template)");
      } else if (hasBatch) {
        n.error("true on a batch step (a batch sends its own body)");
      } else if (!BODY_METHODS.contains(method)) {
        n.error("true on a " + method + " step (expected method: POST, PUT or PATCH)");
      }
    }
    String type = f.oneOf("responseType", "json", "json", "text", "auto");
    return forward || !type.equals("json") ? new BodyUse(forward, type) : BodyUse.DEFAULT;
  }

  /**
   * Reports steps that forward a body on a route that has none to forward; {@code steps} are the
   * route's step nodes by name.
   */
  static void checkForwarding(
      String routeMethod, Map<String, StepSpec> steps, Map<String, YNode> nodes) {
    if (BODY_METHODS.contains(routeMethod)) {
      return;
    }
    steps.forEach(
        (name, s) -> {
          if (s != null && s.bodyUse().forwardBody() && nodes.get(name) != null) {
            YNode n = nodes.get(name).entries().get("forwardBody");
            (n == null ? nodes.get(name) : n)
                .error(
                    "true on a "
                        + routeMethod
                        + " route (there is no client body to forward: expected a POST, PUT or"
                        + " PATCH route)");
          }
        });
  }
}
