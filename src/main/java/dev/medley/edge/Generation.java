package dev.medley.edge;

import dev.medley.engine.Upstreams;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One config generation as a request sees it, immutable and pinned on the request for its whole
 * life: the compiled plan, the upstream clients it calls, and for each route a handler that runs
 * exactly the filters that route uses (deprecation headers, its access rules, its canary) before
 * the shared tail (caching, the route handler). Handling a request runs the filters every request
 * passes, matches the route, and hands the request to that route's handler: no per-request lookup
 * of rules by plan or route.
 */
public final class Generation implements EdgeHandler {
  private final Plan plan;
  private final Upstreams upstreams;
  private final EdgeHandler front;
  private final EdgeHandler[] routes;

  /** The access side of a generation, compiled beside its plan (the gateway's security). */
  public interface Rules {
    /** No rules at all: every route is public and unlimited (tests of other layers). */
    Rules NONE =
        new Rules() {
          @Override
          public List<EdgeFilter> beforeMatch() {
            return List.of();
          }

          @Override
          public List<EdgeFilter> access(RoutePlan route) {
            return List.of();
          }

          @Override
          public List<EdgeFilter> canaryAccess(RoutePlan route, RoutePlan target) {
            return List.of();
          }
        };

    /**
     * Filters every request passes before it is matched (header sanitizing, CORS, request limits).
     */
    List<EdgeFilter> beforeMatch();

    /**
     * The filters enforcing {@code route}'s access rules; only those its rules need, possibly none.
     */
    List<EdgeFilter> access(RoutePlan route);

    /**
     * The filters a request that passed {@code route}'s rules must still pass to be served by
     * {@code target}, its canary: the target's own rules, without repeating what already ran.
     */
    List<EdgeFilter> canaryAccess(RoutePlan route, RoutePlan target);
  }

  /**
   * @param rules the generation's access rules
   * @param choice decides which requests a canary serves
   * @param tail filters every route runs after its own ones (caching), in order
   * @param terminal the route handler
   */
  public Generation(
      Plan plan,
      Upstreams upstreams,
      Rules rules,
      CanaryChoice choice,
      List<EdgeFilter> tail,
      EdgeHandler terminal) {
    this.plan = plan;
    this.upstreams = upstreams;
    EdgeHandler shared = EdgeFilter.chain(tail, terminal);
    this.routes = new EdgeHandler[plan.routes().size()];
    for (RoutePlan r : plan.routes()) {
      if (routes[r.index()] != null || plan.routes().get(r.index()) != r) {
        throw new IllegalStateException("route " + r.id() + " is not at its index " + r.index());
      }
      routes[r.index()] = routeHandler(r, rules, choice, shared);
    }
    List<EdgeFilter> front = new ArrayList<>(rules.beforeMatch());
    front.add(new RouteMatcher(() -> this));
    this.front = EdgeFilter.chain(front, req -> routes[req.route().index()].handle(req));
  }

  /** A generation without access rules or canaries' randomness: for tests of the layers below. */
  public static Generation of(
      Plan plan, Upstreams upstreams, List<EdgeFilter> tail, EdgeHandler terminal) {
    return new Generation(plan, upstreams, Rules.NONE, new CanaryChoice(() -> 0), tail, terminal);
  }

  private static EdgeHandler routeHandler(
      RoutePlan r, Rules rules, CanaryChoice choice, EdgeHandler shared) {
    List<EdgeFilter> filters = new ArrayList<>();
    if (r.deprecation() != null) {
      filters.add(new DeprecationFilter());
    }
    filters.addAll(rules.access(r));
    if (r.canary() != null) {
      EdgeHandler canary = EdgeFilter.chain(rules.canaryAccess(r, r.canary().target()), shared);
      filters.add(new CanaryFilter(choice, canary));
    }
    return EdgeFilter.chain(filters, shared);
  }

  /**
   * Runs the request on this generation: the filters every request passes, matching, then its
   * route's filters.
   */
  @Override
  public Future<Reply> handle(EdgeRequest req) {
    return front.handle(req);
  }

  public Plan plan() {
    return plan;
  }

  public Upstreams upstreams() {
    return upstreams;
  }
}
