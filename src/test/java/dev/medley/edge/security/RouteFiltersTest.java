package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.auth.BearerAuthFilter;
import dev.medley.edge.auth.ScopeFilter;
import dev.medley.edge.limit.RateLimitFilter;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RouteAccess;
import dev.medley.plan.RoutePlan;
import dev.medley.testing.Harness;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Access rules are compiled with the plan, as data on each route, and each route gets exactly the
 * filters its rules need: no per-request lookup, and nothing at all for a public, unlimited route.
 */
class RouteFiltersTest {
  private static final String YAML =
      """
      version: 1
      upstreams:
        a: { url: "http://127.0.0.1:1" }
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: [api.test]
          jwks: "http://127.0.0.1:1/jwks"
          algorithms: [RS256]
          forwardClaims: { sub: x-user-sub }
      experiences:
        web:
          basePath: /web
          rateLimits:
            - { key: ip, rate: 10/s }
          routes:
            GET /open:
              auth: none
              steps: { s: { upstream: a, path: /open } }
            GET /staff:
              scopes: [staff:read]
              rateLimits:
                - { key: claim.sub, rate: 1/s }
              steps: { s: { upstream: a, path: /staff } }
              canary: { to: "GET /staff2", weight: 50% }
            GET /staff2:
              scopes: [staff:read, staff:beta]
              steps: { s: { upstream: a, path: /staff2 } }
        plain:
          basePath: /plain
          routes:
            GET /free:
              auth: none
              steps: { s: { upstream: a, path: /free } }
      """;

  private final Vertx vertx = Harness.vertx(new VertxOptions());

  @AfterEach
  void close() {
    vertx.close();
  }

  private static Plan plan() {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(YAML, "routes.yaml");
    assertThat(r.errors()).isEmpty();
    return PlanCompiler.compile(r.spec(), "v1").plan();
  }

  private static RoutePlan route(Plan p, String template) {
    return p.routes().stream().filter(r -> r.template().equals(template)).findFirst().orElseThrow();
  }

  private static List<Class<?>> kinds(List<EdgeFilter> filters) {
    return filters.stream().<Class<?>>map(Object::getClass).toList();
  }

  @Test
  void accessIsCompiledWithThePlanAsData() {
    Plan p = plan();
    RouteAccess staff = route(p, "/web/staff").access();
    assertThat(staff.jwt()).isTrue();
    assertThat(staff.scopes()).containsExactly("staff:read");
    assertThat(staff.tiers())
        .extracting(RouteAccess.RateTier::scope)
        .containsExactly("experience web #0", "route web GET /web/staff #0");
    assertThat(route(p, "/web/open").access().jwt()).isFalse();
    assertThat(p.routes()).allSatisfy(r -> assertThat(p.routes().get(r.index())).isSameAs(r));
  }

  @Test
  void eachRouteGetsOnlyTheFiltersItsRulesNeed() {
    Plan p = plan();
    SecurityPlan rules = new EdgeSecurity(vertx, new ManualClock()).compile(p);
    assertThat(rules.access(route(p, "/plain/free")))
        .as("public, unlimited: no filter at all")
        .isEmpty();
    assertThat(kinds(rules.access(route(p, "/web/open")))).containsExactly(RateLimitFilter.class);
    assertThat(kinds(rules.access(route(p, "/web/staff"))))
        .containsExactly(
            RateLimitFilter.class,
            BearerAuthFilter.class,
            ScopeFilter.class,
            RateLimitFilter.class,
            ClaimForwarder.class);
  }

  @Test
  void aCanaryAddsOnlyWhatTheMatchedRouteDidNotAlreadyCheck() {
    Plan p = plan();
    SecurityPlan rules = new EdgeSecurity(vertx, new ManualClock()).compile(p);
    RoutePlan staff = route(p, "/web/staff");
    // Same token and experience tier: only the canary's extra scope is checked again.
    assertThat(kinds(rules.canaryAccess(staff, staff.canary().target())))
        .containsExactly(ScopeFilter.class, ClaimForwarder.class);
  }
}
