package dev.medley.edge.security;

import dev.medley.config.ExperienceSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.RouteSpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.auth.BearerAuthFilter;
import dev.medley.edge.auth.ScopeFilter;
import dev.medley.edge.limit.InMemoryRateLimitStore;
import dev.medley.edge.limit.RateLimitFilter;
import dev.medley.edge.limit.RateLimitStore;
import dev.medley.plan.Plan;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's security for the gateway's lifetime: compiles a {@link SecurityPlan} beside each
 * plan, keeps the rate-limit store across plans, and provides the filters in their order. Every
 * filter reads the security plan of the plan pinned on the request, so a reload never mixes the
 * rules of two configs within one request.
 *
 * <p>Before routing (every request): strip reserved and claim headers, CORS (preflights answered
 * here), URL/header/query limits. After routing (per route): rate limits that need no claims,
 * JWT authentication, scopes, rate limits keyed on claims, body rules, claim forwarding. A request
 * failing any of these never reaches an upstream.
 */
public final class EdgeSecurity {
  private static final int MAX_BUCKETS = 100_000;

  private final Vertx vertx;
  private final Clock clock;
  private final RateLimitStore store;
  /** An event loop for background work (JWKS fetches), taken when the gateway is built. */
  private final Context loop;
  /** Security plans of the plans still serving (live or draining); copied on change, read per request. */
  private volatile List<SecurityPlan> plans = List.of();

  public EdgeSecurity(Vertx vertx, Clock clock) {
    this(vertx, clock, new InMemoryRateLimitStore(MAX_BUCKETS));
  }

  /** With another store, e.g. a shared one, so replicas share budgets. */
  public EdgeSecurity(Vertx vertx, Clock clock, RateLimitStore store) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
    this.loop = vertx.getOrCreateContext();
  }

  /**
   * Compiles the security side of {@code plan} and starts loading its keys ({@link
   * SecurityPlan#started()}); it serves requests pinned to {@code plan} until it is closed.
   */
  public SecurityPlan compile(Plan plan) {
    SecurityPlan p = SecurityPlan.compile(vertx, loop, plan, clock, this::forget);
    synchronized (this) {
      List<SecurityPlan> next = new ArrayList<>(plans);
      next.add(p);
      plans = List.copyOf(next);
    }
    return p;
  }

  private synchronized void forget(SecurityPlan p) {
    List<SecurityPlan> next = new ArrayList<>(plans);
    next.remove(p);
    plans = List.copyOf(next);
  }

  /** The filters that run before the route matcher (after the plan is pinned on the request). */
  public List<EdgeFilter> beforeMatch() {
    return List.of(
        new HeaderSanitizer(req -> of(req).claimHeaders),
        new CorsFilter(req -> of(req).cors),
        new RequestLimitsFilter(req -> of(req).limits));
  }

  /** The filters that run after the route matcher, before the route handler. */
  public List<EdgeFilter> afterMatch() {
    return List.of(
        new RateLimitFilter(req -> access(req).beforeAuth(), store, clock),
        new BearerAuthFilter(req -> access(req).verifier()),
        new ScopeFilter(req -> access(req).scopes()),
        new RateLimitFilter(req -> access(req).afterAuth(), store, clock),
        new BodyRulesFilter(this::access, req -> of(req).limits.maxJsonDepth()),
        new ClaimForwarder(this::access));
  }

  /** The largest body the listener reads before routing: the server default or any route's own limit. */
  public static long bodyReadLimit(MedleySpec spec) {
    long max = spec.server().limits().maxBodySize();
    for (ExperienceSpec e : spec.experiences().values()) {
      for (RouteSpec r : e.routes()) {
        if (r.access().maxBodySize() != null) {
          max = Math.max(max, r.access().maxBodySize());
        }
      }
    }
    return max;
  }

  /** The security plan of the plan pinned on {@code req}. */
  private SecurityPlan of(EdgeRequest req) {
    Plan pinned = req.plan() == null ? null : req.plan().plan();
    for (SecurityPlan p : plans) {
      if (p.plan == pinned) {
        return p;
      }
    }
    // Failing closed: a request must never be served without its plan's rules.
    throw new IllegalStateException("no security plan for the request's plan");
  }

  private RouteAccess access(EdgeRequest req) {
    RouteAccess a = of(req).access(req.route());
    if (a == null) {
      throw new IllegalStateException("no access rules for route " + req.route().id());
    }
    return a;
  }
}
