package dev.medley.edge;

import dev.medley.plan.Canary;
import dev.medley.plan.RoutePlan;
import io.vertx.core.Future;

/**
 * Sends a share of a route's requests to its canary route and names the canary in the {@code
 * X-Medley-Canary} header of those answers; {@link EdgeRequest#canary()} tells logs and metrics.
 * Runs after the matched route's access rules (so {@code claim.*} stickiness sees verified claims);
 * a diverted request then passes the canary route's own rules (its {@link
 * Generation.Rules#canaryAccess}) before the canary serves it, so a canary never serves a client
 * its own rules would refuse.
 */
public final class CanaryFilter implements EdgeFilter {
  /**
   * Present on answers a canary route served; its value is the canary's method and path template.
   */
  public static final String HEADER = "X-Medley-Canary";

  private final CanaryChoice choice;
  private final EdgeHandler canary;

  /**
   * @param canary the canary route's access rules, then what serves the route
   */
  public CanaryFilter(CanaryChoice choice, EdgeHandler canary) {
    this.choice = choice;
    this.canary = canary;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    RoutePlan route = req.route();
    Canary c = route.canary();
    if (c == null || !choice.chooses(route.id(), c, req)) {
      return next.handle(req);
    }
    req.divert(c.target(), c.targetValues(req.pathValues()));
    return canary
        .handle(req)
        .map(
            reply -> {
              reply.headers().set(HEADER, c.label());
              return reply;
            });
  }
}
