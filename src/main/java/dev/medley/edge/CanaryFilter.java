package dev.medley.edge;

import dev.medley.plan.Canary;
import dev.medley.plan.RoutePlan;
import io.vertx.core.Future;

/**
 * Sends a share of a route's requests to its canary route and names the canary in the
 * {@code X-Medley-Canary} header of those answers; {@link EdgeRequest#canary()} tells logs and
 * metrics. Runs last before the route handler, after authentication (so {@code claim.*} stickiness
 * sees verified claims).
 */
public final class CanaryFilter implements EdgeFilter {
  /** Present on answers a canary route served; its value is the canary's method and path template. */
  public static final String HEADER = "X-Medley-Canary";

  private final CanaryChoice choice;

  public CanaryFilter(CanaryChoice choice) {
    this.choice = choice;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    RoutePlan route = req.route();
    Canary canary = route == null ? null : route.canary();
    if (canary == null || !choice.chooses(route.id(), canary, req)) {
      return next.handle(req);
    }
    req.divert(canary.target(), canary.targetValues(req.pathValues()));
    return next.handle(req).map(reply -> {
      reply.headers().set(HEADER, canary.label());
      return reply;
    });
  }
}
