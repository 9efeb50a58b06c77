package dev.medley.edge;

import dev.medley.plan.Deprecation;
import dev.medley.plan.RoutePlan;
import io.vertx.core.Future;

/**
 * Adds the deprecation headers of the matched route to every one of its answers, errors included:
 * {@code Deprecation} (RFC 9745), {@code Sunset} (RFC 8594) and {@code Link: <...>;
 * rel="successor-version"} (RFC 5829). Runs after {@link RouteMatcher}, before any canary
 * diversion, so the headers describe the route the client called.
 */
public final class DeprecationFilter implements EdgeFilter {
  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    RoutePlan route = req.route();
    Deprecation d = route == null ? null : route.deprecation();
    if (d == null) {
      return next.handle(req);
    }
    String link = d.linkHeader(req.pathValues());
    return next.handle(req)
        .map(
            reply -> {
              reply.headers().set("deprecation", d.deprecationHeader());
              if (d.sunsetHeader() != null) {
                reply.headers().set("sunset", d.sunsetHeader());
              }
              if (link != null) {
                reply.headers().add("link", link);
              }
              return reply;
            });
  }
}
