package dev.medley.observe.internal;

import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The meters of one config generation: every route's {@link RouteMeters}, resolved once when the
 * generation is built and found by the route's index. Holds the plan only to recognise it; the
 * series it points to belong to {@link RequestSeries}, so dropping a retired generation's
 * PlanMeters frees nothing that counts.
 */
final class PlanMeters {
  final Plan plan;
  private final RouteMeters[] routes;
  private final Map<RoutePlan, RouteMeters> others = new IdentityHashMap<>();

  PlanMeters(Plan plan, RequestSeries series) {
    this.plan = plan;
    this.routes = new RouteMeters[plan.routes().size()];
    for (RoutePlan r : plan.routes()) {
      if (r.index() >= 0 && r.index() < routes.length) {
        routes[r.index()] = new RouteMeters(r, series);
      } else {
        others.put(r, new RouteMeters(r, series));
      }
      // A canary's target serves some of the route's requests and may not be listed itself.
      if (r.canary() != null && !others.containsKey(r.canary().target())) {
        others.put(r.canary().target(), new RouteMeters(r.canary().target(), series));
      }
    }
  }

  /** The meters of {@code r}, or null when {@code r} is not a route of this plan. */
  RouteMeters of(RoutePlan r) {
    int i = r.index();
    if (i >= 0 && i < routes.length && routes[i] != null && routes[i].plan == r) {
      return routes[i];
    }
    return others.get(r); // read-only after construction
  }
}
