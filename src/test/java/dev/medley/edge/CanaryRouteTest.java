package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.PlanCompiler;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A route's canary end to end: the share, the header, stickiness, path values, and load errors. */
class CanaryRouteTest extends GatewayTest {
  private static final String ROUTES =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /products/{id}:
              canary: { to: "GET /v3/items/{id}", weight: 10%, sticky: "header:x-user" }
              steps:
                p: { upstream: a, path: "/products/{id}" }
              response: { served: "'stable'", id: params.id }
            GET /v3/items/{id}:
              steps:
                p: { upstream: b, path: "/items/{id}" }
              response: { served: "'canary'", id: params.id }
      """;

  private HttpResponse<String> get(String user) {
    return gw.request(HttpRequest.newBuilder(gw.uri("/web/products/7")).header("x-user", user));
  }

  @Test
  void aTenthOfTheUsersGetTheCanaryNamedInTheHeaderAndEachStaysOnItsSide() {
    a.on("/products", FakeUpstream.json("{}"));
    b.on("/items", FakeUpstream.json("{}"));
    start(ROUTES);
    String routeId = gw.gateway.plan().routes().getFirst().id();
    int canary = 0;
    int expected = 0;
    for (int i = 0; i < 400; i++) {
      String user = "user-" + i;
      HttpResponse<String> r = get(user);
      assertThat(r.statusCode()).isEqualTo(200);
      boolean onCanary = r.body().contains("\"canary\"");
      assertThat(r.headers().firstValue(CanaryFilter.HEADER))
          .as("header names the canary exactly when it served")
          .isEqualTo(
              onCanary
                  ? java.util.Optional.of("GET /web/v3/items/{id}")
                  : java.util.Optional.empty());
      assertThat(r.body()).contains("\"id\":\"7\"");
      canary += onCanary ? 1 : 0;
      expected += CanaryChoice.bucket(routeId, user) < 1_000 ? 1 : 0;
      if (i < 20) {
        for (int again = 0; again < 3; again++) {
          assertThat(get(user).body().contains("\"canary\""))
              .as("%s stays on its side", user)
              .isEqualTo(onCanary);
        }
      }
    }
    assertThat(canary).isEqualTo(expected).isBetween(24, 56);
    assertThat(b.received()).allSatisfy(req -> assertThat(req.uri()).isEqualTo("/items/7"));
  }

  @Test
  void fullWeightSendsEveryRequestToTheCanaryAndZeroNone() {
    a.on("/products", FakeUpstream.json("{}"));
    b.on("/items", FakeUpstream.json("{}"));
    start(ROUTES.replace("weight: 10%", "weight: 100%"));
    for (int i = 0; i < 20; i++) {
      assertThat(get("user-" + i).headers().firstValue(CanaryFilter.HEADER)).isPresent();
    }
    assertThat(a.received()).isEmpty();
  }

  /**
   * A public route whose canary only staff may call: the canary's own rules decide who it serves.
   */
  private static final String STAFF_CANARY =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: [api.test]
          jwks: "${env:C}/jwks"
          algorithms: [RS256]
      experiences:
        web:
          basePath: /web
          rateLimits:
            - { key: ip, rate: 1000/s }
          routes:
            GET /products/{id}:
              auth: none
              canary: { to: "GET /staff/items/{id}", weight: 100% }
              steps:
                p: { upstream: a, path: "/products/{id}" }
              response: { served: "'public'" }
            GET /staff/items/{id}:
              scopes: [staff:read]
              rateLimits:
                - { name: staff, key: claim.sub, rate: 1/min, burst: 1 }
              steps:
                p: { upstream: b, path: "/staff/{id}" }
              response: { served: "'staff-only'" }
      """;

  @Test
  void canaryRequestPassesTheCanaryRoutesOwnAccessRules() {
    dev.medley.testing.Tokens tokens = new dev.medley.testing.Tokens();
    c.on("/jwks", FakeUpstream.json(dev.medley.testing.Tokens.jwks(tokens.rsa)));
    a.on("/products", FakeUpstream.json("{}"));
    b.on("/staff", FakeUpstream.json("{}"));
    start(STAFF_CANARY);

    HttpResponse<String> anonymous = gw.get("/web/products/7");
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("staff-only");

    String noStaff = tokens.valid(clock);
    HttpResponse<String> customer =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/products/7"))
                .header("authorization", "Bearer " + noStaff));
    assertThat(customer.statusCode()).as(customer.body()).isEqualTo(403);
    assertThat(customer.body()).contains("staff:read").doesNotContain("staff-only");
    assertThat(b.received())
        .as("the staff upstream is never called for refused requests")
        .isEmpty();

    String staff =
        tokens.rs256(dev.medley.testing.Tokens.claims(clock).claim("scope", "staff:read").build());
    HttpResponse<String> ok =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/products/7"))
                .header("authorization", "Bearer " + staff));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("staff-only");
    assertThat(ok.headers().firstValue("ratelimit-policy").orElseThrow())
        .as("the experience tier is drawn once, the canary's own tier applies")
        .contains("\"staff\"");
    HttpResponse<String> again =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/products/7"))
                .header("authorization", "Bearer " + staff));
    assertThat(again.statusCode()).as("the canary's own rate limit").isEqualTo(429);
    assertThat(a.received()).isEmpty();
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigLoader.Result loaded =
        new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1", "B", "http://127.0.0.1:2")))
            .parse(yaml, "canary.yaml");
    assertThat(loaded.errors()).isEmpty();
    return PlanCompiler.compile(loaded.spec(), "v").errors();
  }

  @Test
  void unknownTargetIsALocatedErrorListingTheRoutes() {
    String yaml = ROUTES.replace("to: \"GET /v3/items/{id}\"", "to: \"GET /v4/items/{id}\"");
    List<ConfigError> errors = errors(yaml);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.at().line() + ":" + e.at().column())
                  .isEqualTo(dev.medley.testing.Locate.of(yaml, "\"GET /v4"));
              assertThat(e.path())
                  .isEqualTo("experiences.web.routes[\"GET /products/{id}\"].canary.to");
              assertThat(e.message())
                  .isEqualTo(
                      "unknown route 'GET /v4/items/{id}' (expected a route of experience 'web': "
                          + "GET /products/{id}, GET /v3/items/{id})");
            });
  }

  @Test
  void targetWithOtherPathParametersIsALocatedError() {
    List<ConfigError> errors =
        errors(
            ROUTES
                .replace("GET /v3/items/{id}:", "GET /v3/items/{sku}:")
                .replace("to: \"GET /v3/items/{id}\"", "to: \"GET /v3/items/{sku}\"")
                .replace("path: \"/items/{id}\"", "path: \"/items/{sku}\"")
                .replace("{ served: \"'canary'\", id: params.id }", "{ served: \"'canary'\" }"));
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.format()).startsWith("canary.yaml:10:23: ");
              assertThat(e.message())
                  .isEqualTo(
                      "'GET /v3/items/{sku}' has path parameters [sku] (expected the same as this route: [id])");
            });
  }

  @Test
  void targetWithAnotherMethodItselfOrItsOwnCanaryAreErrors() {
    String post =
        ROUTES
            .replace("GET /v3/items/{id}:", "POST /v3/items/{id}:")
            .replace("to: \"GET /v3/items/{id}\"", "to: \"POST /v3/items/{id}\"");
    assertThat(errors(post))
        .extracting(ConfigError::message)
        .containsExactly(
            "'POST /v3/items/{id}' is a POST route (expected GET, the method of this route)");
    String self = ROUTES.replace("to: \"GET /v3/items/{id}\"", "to: \"GET /products/{id}\"");
    assertThat(errors(self))
        .extracting(ConfigError::message)
        .containsExactly("'GET /products/{id}' is this route itself (expected another route)");
    String chain =
        ROUTES.replace(
            "GET /v3/items/{id}:\n",
            "GET /v3/items/{id}:\n        canary: { to: \"GET /products/{id}\", weight: 1% }\n");
    assertThat(errors(chain))
        .extracting(ConfigError::message)
        .hasSize(2)
        .allMatch(
            m ->
                m.contains(
                    "has a canary of its own (expected a route without one: canaries do not chain)"));
  }
}
