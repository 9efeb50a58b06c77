package dev.medley.edge.security;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;

/**
 * CORS per experience, found by base path (it runs before routing: OPTIONS is no route's method).
 * Preflights are answered here, 204 or 403, and never reach an upstream. A cross-origin request
 * from an origin the experience does not list is refused with 403; an allowed one gets the {@code
 * Access-Control-*} headers on whatever answer follows, errors included, so scripts can read
 * problem details.
 */
final class CorsFilter implements EdgeFilter {
  private final List<CorsPolicy> policies;

  /** {@code policies} are tried in order: longest base path first. */
  CorsFilter(List<CorsPolicy> policies) {
    this.policies = policies;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    CorsPolicy p = policyFor(req);
    if (p == null) {
      return next.handle(req);
    }
    String origin = req.headers().get("origin");
    if (origin == null) {
      return next.handle(req).map(r -> vary(r, "origin"));
    }
    String askedMethod = req.headers().get("access-control-request-method");
    if (req.method().equals("OPTIONS") && askedMethod != null) {
      return RequestLimitsFilter.done(preflight(req, p, origin, askedMethod));
    }
    if (!p.allows(origin)) {
      return RequestLimitsFilter.done(
          vary(refuse(req, "origin " + origin + " is not allowed"), "origin"));
    }
    return next.handle(req)
        .map(
            r -> {
              MultiMap h = r.headers();
              h.set("access-control-allow-origin", p.allowOrigin(origin));
              if (p.credentials()) {
                h.set("access-control-allow-credentials", "true");
              }
              h.set("access-control-expose-headers", p.exposeHeaders());
              return vary(r, "origin");
            });
  }

  private CorsPolicy policyFor(EdgeRequest req) {
    for (CorsPolicy p : policies) {
      if (p.covers(req.path())) {
        return p;
      }
    }
    return null;
  }

  private static Reply preflight(EdgeRequest req, CorsPolicy p, String origin, String method) {
    String why = null;
    if (!p.allows(origin)) {
      why = "origin " + origin + " is not allowed";
    } else if (!p.methods().contains(method)) {
      why = "method " + method + " is not allowed (allowed: " + p.allowMethods() + ")";
    } else {
      String asked = req.headers().get("access-control-request-headers");
      if (asked != null) {
        for (String h : asked.split(",")) {
          String name = h.trim().toLowerCase(Locale.ROOT);
          if (!name.isEmpty() && !p.headers().contains(name)) {
            why = "header " + name + " is not allowed";
            break;
          }
        }
      }
    }
    Reply r;
    if (why != null) {
      r = refuse(req, why);
    } else {
      r = new Reply(204, MultiMap.caseInsensitiveMultiMap(), null);
      MultiMap h = r.headers();
      h.set("access-control-allow-origin", p.allowOrigin(origin));
      h.set("access-control-allow-methods", p.allowMethods());
      if (!p.allowHeaders().isEmpty()) {
        h.set("access-control-allow-headers", p.allowHeaders());
      }
      if (p.credentials()) {
        h.set("access-control-allow-credentials", "true");
      }
      h.set("access-control-max-age", Long.toString(p.maxAgeSeconds()));
    }
    return vary(r, "origin, access-control-request-method, access-control-request-headers");
  }

  private static Reply refuse(EdgeRequest req, String why) {
    return Problem.reply(
        403, "cors-rejected", "Forbidden", "cross-origin request refused: " + why, req);
  }

  private static Reply vary(Reply r, String value) {
    r.headers().add("vary", value);
    return r;
  }
}
