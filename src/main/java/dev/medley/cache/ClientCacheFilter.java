package dev.medley.cache;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import dev.medley.edge.RouteHandler;
import dev.medley.plan.RoutePlan;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * HTTP caching towards clients, for GET routes (and HEAD, answered as GET): every 200 gets an
 * {@code ETag} (kept from the response cache when it has one, else computed over the body) and the
 * route's {@code Cache-Control} (or the one composed from the upstream answers, when the route
 * composes); a partial answer gets {@code no-store} instead, so no cache keeps a degraded answer; a
 * request whose {@code If-None-Match} matches gets a 304 without a body.
 */
final class ClientCacheFilter implements EdgeFilter {
  /** Headers a 304 repeats from the 200 it stands for (RFC 9110 15.4.5). */
  private static final String[] KEPT_ON_304 = {"etag", "cache-control", "vary", "x-cache", "age"};

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    if (!"GET".equals(req.method()) && !"HEAD".equals(req.method())) {
      return next.handle(req);
    }
    return next.handle(req)
        .map(
            r -> {
              if (r.status() != 200 || r.body() == null) {
                return r;
              }
              cacheControl(req, r);
              String etag = r.headers().get("etag");
              if (etag == null) {
                etag = Etags.of(r.body());
                r.headers().set("etag", etag);
              }
              String ifNoneMatch = req.headers().get("if-none-match");
              if (ifNoneMatch == null || !Etags.matches(ifNoneMatch, etag)) {
                return r;
              }
              MultiMap h = MultiMap.caseInsensitiveMultiMap();
              for (String name : KEPT_ON_304) {
                String v = r.headers().get(name);
                if (v != null) {
                  h.set(name, v);
                }
              }
              return new Reply(304, h, null);
            });
  }

  /**
   * A degraded answer ({@code X-Medley-Partial}) must not outlive the failure that degraded it: it
   * gets {@code no-store} whatever the route says. Otherwise a composed value already on the reply
   * stays, and the route's value fills in (a response-cache hit carries none).
   */
  private static void cacheControl(EdgeRequest req, Reply r) {
    if (r.headers().contains(RouteHandler.PARTIAL_HEADER)) {
      r.headers().set("cache-control", "no-store");
      return;
    }
    RoutePlan route = req.route();
    if (route == null) {
      return;
    }
    boolean composed = route.passing() != null && route.passing().composedCacheControl();
    if (route.cacheControl() != null && !(composed && r.headers().contains("cache-control"))) {
      r.headers().set("cache-control", route.cacheControl());
    }
  }
}
