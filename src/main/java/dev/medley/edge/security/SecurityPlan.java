package dev.medley.edge.security;

import dev.medley.config.AccessSpec;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.JwtSpec;
import dev.medley.config.LimitsSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.RateLimitSpec;
import dev.medley.config.RouteSpec;
import dev.medley.edge.auth.JwtVerifier;
import dev.medley.edge.auth.ScopeFilter;
import dev.medley.edge.limit.BucketLimit;
import dev.medley.edge.limit.Tier;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The security side of one plan, compiled once beside it: limits, CORS policies by base path,
 * the headers to strip, the JWT verifier and every route's {@link RouteAccess}. Nothing here is
 * parsed per request.
 */
public final class SecurityPlan {
  final Plan plan;
  final LimitsSpec limits;
  final Set<String> claimHeaders;
  final List<CorsPolicy> cors;
  final JwtVerifier verifier;
  private final Map<RoutePlan, RouteAccess> routes;
  private final Consumer<SecurityPlan> onClose;
  private Future<Void> started;

  private SecurityPlan(Plan plan, JwtVerifier verifier, Consumer<SecurityPlan> onClose) {
    this.onClose = onClose;
    MedleySpec spec = plan.spec();
    JwtSpec jwt = spec.auth().jwt();
    this.plan = plan;
    this.limits = spec.server().limits();
    this.verifier = verifier;
    this.claimHeaders = jwt == null ? Set.of() : Set.copyOf(jwt.forwardClaims().values());
    List<CorsPolicy> policies = new ArrayList<>();
    for (ExperienceSpec e : spec.experiences().values()) {
      if (e.access().cors() != null) {
        policies.add(CorsPolicy.of(e.basePath(), e.access().cors()));
      }
    }
    policies.sort(Comparator.comparingInt((CorsPolicy p) -> p.basePath().length()).reversed());
    this.cors = List.copyOf(policies);
    this.routes = compileRoutes(plan, verifier);
  }

  /** Compiles the security of {@code plan} and starts loading its keys; {@code onClose} hears when it closes. */
  static SecurityPlan compile(Vertx vertx, Context loop, Plan plan, Clock clock, Consumer<SecurityPlan> onClose) {
    JwtSpec jwt = plan.spec().auth().jwt();
    SecurityPlan p = new SecurityPlan(plan, jwt == null ? null : JwtVerifier.create(vertx, loop, jwt, clock), onClose);
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
    onClose.accept(this);
    return verifier == null ? Future.succeededFuture() : verifier.close();
  }

  /** The access rules of a route of this plan, or null for a route of another plan. */
  RouteAccess access(RoutePlan route) {
    return routes.get(route);
  }

  private static Map<RoutePlan, RouteAccess> compileRoutes(Plan plan, JwtVerifier verifier) {
    MedleySpec spec = plan.spec();
    Map<String, RouteAccess> byId = new HashMap<>();
    for (ExperienceSpec e : spec.experiences().values()) {
      for (RouteSpec r : e.routes()) {
        String id = e.name() + " " + r.method() + " " + e.basePath() + r.path();
        byId.put(id, route(spec, e, r, id, verifier));
      }
    }
    Map<RoutePlan, RouteAccess> out = new IdentityHashMap<>();
    for (RoutePlan r : plan.routes()) {
      RouteAccess a = byId.get(r.id());
      if (a == null) {
        throw new IllegalStateException("no access rules compiled for route " + r.id());
      }
      out.put(r, a);
    }
    return out;
  }

  private static RouteAccess route(MedleySpec spec, ExperienceSpec e, RouteSpec r, String id, JwtVerifier verifier) {
    AccessSpec ea = e.access();
    AccessSpec ra = r.access();
    String auth = ra.auth() != null ? ra.auth() : ea.auth() != null ? ea.auth() : verifier != null ? "jwt" : "none";
    boolean jwt = auth.equals("jwt") && verifier != null;
    Set<String> scopes = new LinkedHashSet<>();
    if (jwt) {
      scopes.addAll(ea.scopes());
      scopes.addAll(ra.scopes());
    }
    List<Tier> tiers = new ArrayList<>();
    addTiers(tiers, ea.rateLimits(), "experience " + e.name());
    addTiers(tiers, ra.rateLimits(), "route " + id);
    long maxBody = ra.maxBodySize() != null ? ra.maxBodySize() : spec.server().limits().maxBodySize();
    return new RouteAccess(
        jwt ? verifier : null,
        new ScopeFilter.Required(List.copyOf(scopes), jwt ? verifier.spec().scopeClaim() : "scope"),
        tiers.stream().filter(t -> !t.needsClaims()).toList(),
        tiers.stream().filter(Tier::needsClaims).toList(),
        maxBody,
        jwt ? verifier.spec().forwardClaims() : Map.of(),
        jwt && ra.forwardAuthorization());
  }

  private static void addTiers(List<Tier> out, List<RateLimitSpec> specs, String scope) {
    for (int i = 0; i < specs.size(); i++) {
      RateLimitSpec s = specs.get(i);
      out.add(Tier.of(s.name(), scope + " #" + i, s.key(), BucketLimit.of(s.perSecond(), s.burst())));
    }
  }
}
