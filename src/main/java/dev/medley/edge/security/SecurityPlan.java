package dev.medley.edge.security;

import dev.medley.config.BasicSpec;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.JwtSpec;
import dev.medley.config.LimitsSpec;
import dev.medley.config.MedleySpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.Generation;
import dev.medley.edge.auth.BasicAuthFilter;
import dev.medley.edge.auth.BasicVerifier;
import dev.medley.edge.auth.BearerAuthFilter;
import dev.medley.edge.auth.JwtVerifier;
import dev.medley.edge.auth.ScopeFilter;
import dev.medley.edge.limit.BucketLimit;
import dev.medley.edge.limit.RateLimitFilter;
import dev.medley.edge.limit.RateLimitStore;
import dev.medley.edge.limit.Tier;
import dev.medley.observe.Metrics;
import dev.medley.plan.Plan;
import dev.medley.plan.RouteAccess;
import dev.medley.plan.RoutePlan;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The security side of one generation: the JWT verifier (its keys live as long as the plan), and
 * the filters each route's compiled {@link RouteAccess} needs, built once per generation with their
 * rules as fields. A route gets only the filters its rules use: a public, unlimited GET route runs
 * none of them.
 *
 * <p>Before matching (every request): strip reserved and claim headers, CORS (preflights answered
 * here), URL/header/query limits. Per route: rate limits that need no claims, JWT authentication,
 * scopes, rate limits keyed on claims, body rules, claim forwarding. A request failing any of these
 * never reaches an upstream.
 */
public final class SecurityPlan implements Generation.Rules {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final LimitsSpec limits;
  private final JwtVerifier verifier;
  private final BasicAuthFilter basic;
  private final RateLimitStore store;
  private final Clock clock;
  private final Metrics metrics;
  private final List<EdgeFilter> beforeMatch;

  /** Tiers by scope: routes sharing an experience tier share one compiled {@link Tier}. */
  private final Map<String, Tier> tiers = new HashMap<>();

  private Future<Void> started;

  private SecurityPlan(
      Plan plan,
      JwtVerifier verifier,
      BasicAuthFilter basic,
      RateLimitStore store,
      Clock clock,
      Metrics metrics) {
    MedleySpec spec = plan.spec();
    JwtSpec jwt = spec.auth().jwt();
    this.limits = spec.server().limits();
    this.verifier = verifier;
    this.basic = basic;
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
    List<CorsPolicy> policies = new ArrayList<>();
    for (ExperienceSpec e : spec.experiences().values()) {
      if (e.access().cors() != null) {
        policies.add(CorsPolicy.of(e.basePath(), e.access().cors()));
      }
    }
    policies.sort(Comparator.comparingInt((CorsPolicy p) -> p.basePath().length()).reversed());
    List<EdgeFilter> before = new ArrayList<>();
    before.add(
        new HeaderSanitizer(jwt == null ? Set.of() : Set.copyOf(jwt.forwardClaims().values())));
    if (!policies.isEmpty()) {
      before.add(new CorsFilter(List.copyOf(policies)));
    }
    before.add(new RequestLimitsFilter(limits));
    this.beforeMatch = List.copyOf(before);
  }

  /** Compiles the security of {@code plan} and starts loading its keys. */
  static SecurityPlan compile(
      Vertx vertx, Context loop, Plan plan, Clock clock, RateLimitStore store, Metrics metrics) {
    JwtSpec jwt = plan.spec().auth().jwt();
    BasicSpec basic = plan.spec().auth().basic();
    SecurityPlan p =
        new SecurityPlan(
            plan,
            jwt == null ? null : JwtVerifier.create(vertx, loop, jwt, clock),
            basic == null ? null : new BasicAuthFilter(vertx, new BasicVerifier(basic)),
            store,
            clock,
            metrics);
    p.started = p.verifier == null ? Future.succeededFuture() : p.verifier.start();
    return p;
  }

  /**
   * Completes when the verification keys are loaded (a JWKS URL that cannot be reached counts as
   * loaded: requests then get 503 until it answers); fails when a key file cannot be used.
   */
  public Future<Void> started() {
    return started;
  }

  /** Stops serving: releases the JWKS client; called when the plan's last request has finished. */
  public Future<Void> close() {
    return verifier == null ? Future.succeededFuture() : verifier.close();
  }

  @Override
  public List<EdgeFilter> beforeMatch() {
    return beforeMatch;
  }

  @Override
  public List<EdgeFilter> access(RoutePlan route) {
    return filters(route, route.access(), null);
  }

  @Override
  public List<EdgeFilter> canaryAccess(RoutePlan route, RoutePlan target) {
    return filters(target, target.access(), route.access());
  }

  /**
   * The filters enforcing {@code a}; with {@code passed} (the rules a request already passed), only
   * what those did not cover: the token is verified once, a shared tier draws once.
   */
  /** Counts a 429 of {@code route} against its experience. */
  private Runnable refused(RoutePlan route) {
    String experience = route.experience();
    return () -> metrics.rateLimited(experience);
  }

  private List<EdgeFilter> filters(RoutePlan route, RouteAccess a, RouteAccess passed) {
    List<EdgeFilter> out = new ArrayList<>();
    List<Tier> before = new ArrayList<>();
    List<Tier> after = new ArrayList<>();
    for (RouteAccess.RateTier t : a.tiers()) {
      if (passed != null && passed.tiers().stream().anyMatch(p -> p.scope().equals(t.scope()))) {
        continue;
      }
      (t.needsClaims() ? after : before).add(tier(t));
    }
    if (!before.isEmpty()) {
      out.add(new RateLimitFilter(before, store, clock, refused(route)));
    }
    if (a.jwt() && (passed == null || !passed.jwt())) {
      out.add(new BearerAuthFilter(verifier));
    }
    if (a.basic() && (passed == null || !passed.basic())) {
      out.add(basic);
    }
    if (!a.scopes().isEmpty() && (passed == null || !passed.scopes().containsAll(a.scopes()))) {
      out.add(new ScopeFilter(new ScopeFilter.Required(a.scopes(), a.scopeClaim())));
    }
    if (!after.isEmpty()) {
      out.add(new RateLimitFilter(after, store, clock, refused(route)));
    }
    if (BODY_METHODS.contains(route.method())) {
      out.add(new BodyRulesFilter(a.maxBodySize(), limits.maxJsonDepth(), route.bodies()));
    }
    boolean forwards = !a.forwardClaims().isEmpty() || a.forwardAuthorization();
    boolean undo = passed != null && passed.forwardAuthorization() && !a.forwardAuthorization();
    if (a.jwt() && forwards || undo) {
      out.add(new ClaimForwarder(a.forwardClaims(), a.forwardAuthorization()));
    }
    return List.copyOf(out);
  }

  private Tier tier(RouteAccess.RateTier t) {
    return tiers.computeIfAbsent(
        t.scope(), s -> Tier.of(t.name(), s, t.key(), BucketLimit.of(t.perSecond(), t.burst())));
  }
}
