package dev.medley.edge.security;

import dev.medley.config.MedleySpec;
import dev.medley.config.ExperienceSpec;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's security for the gateway's lifetime: compiles a {@link SecurityPlan} beside each
 * plan, keeps the rate-limit store across plans, and provides the filters in their order.
 *
 * <p>Before routing (every request): strip reserved and claim headers, CORS (preflights answered
 * here), URL/header/query limits. After routing (per route): rate limits that need no claims,
 * JWT authentication, scopes, rate limits keyed on claims, body rules, claim forwarding. A route
 * with any of these checks failing never reaches an upstream.
 */
public final class EdgeSecurity {
  /** Plans kept installed, so a request matched on a plan that was just replaced still finds its rules. */
  private static final int KEPT_PLANS = 4;
  private static final int MAX_BUCKETS = 100_000;

  private final Vertx vertx;
  private final Clock clock;
  private final RateLimitStore store;
  private volatile List<SecurityPlan> installed = List.of();

  public EdgeSecurity(Vertx vertx, Clock clock) {
    this(vertx, clock, new InMemoryRateLimitStore(MAX_BUCKETS));
  }

  /** With another store, e.g. a shared one, so replicas share budgets. */
  public EdgeSecurity(Vertx vertx, Clock clock, RateLimitStore store) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
  }

  /** Compiles the security side of {@code plan}. */
  public SecurityPlan compile(Plan plan) {
    return SecurityPlan.compile(vertx, plan, clock);
  }

  /** Loads {@code p}'s keys, then makes it the current one for new requests. */
  public Future<Void> install(SecurityPlan p) {
    return p.start().onSuccess(v -> {
      List<SecurityPlan> next = new ArrayList<>();
      next.add(p);
      List<SecurityPlan> old = installed;
      for (SecurityPlan o : old) {
        if (next.size() < KEPT_PLANS) {
          next.add(o);
        } else {
          o.close();
        }
      }
      installed = List.copyOf(next);
    });
  }

  /** The filters that run before the route matcher. */
  public List<EdgeFilter> beforeMatch() {
    return List.of(
        new HeaderSanitizer(() -> current().claimHeaders),
        new CorsFilter(() -> current().cors),
        new RequestLimitsFilter(() -> current().limits));
  }

  /** The filters that run after the route matcher, before the route handler. */
  public List<EdgeFilter> afterMatch() {
    return List.of(
        new RateLimitFilter(req -> access(req).beforeAuth(), store, clock),
        new BearerAuthFilter(req -> access(req).verifier()),
        new ScopeFilter(req -> access(req).scopes()),
        new RateLimitFilter(req -> access(req).afterAuth(), store, clock),
        new BodyRulesFilter(this::access, () -> current().limits.maxJsonDepth()),
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

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    installed.forEach(p -> all.add(p.close()));
    installed = List.of();
    return Future.join(all).mapEmpty();
  }

  private SecurityPlan current() {
    List<SecurityPlan> now = installed;
    if (now.isEmpty()) {
      throw new IllegalStateException("no security plan installed");
    }
    return now.get(0);
  }

  private RouteAccess access(EdgeRequest req) {
    for (SecurityPlan p : installed) {
      if (p.plan == req.plan().plan()) {
        RouteAccess a = p.access(req.route());
        if (a != null) {
          return a;
        }
      }
    }
    // Failing closed: a route without compiled rules must never be served unchecked.
    throw new IllegalStateException("no access rules for route " + req.route().id());
  }
}
