package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Locate;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deprecated routes announce it (RFC 9745, RFC 8594, successor link); every route knows its API
 * version.
 */
class DeprecationTest extends GatewayTest {
  private static final String ROUTES =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /v1/products/{id}:
              deprecated: { since: 2026-01-01T00:00:00Z, sunset: 2026-12-31T23:59:59Z, successor: "/web/v2/products/{id}" }
              steps:
                p: { upstream: a, path: "/products/{id}" }
            GET /v2/products/{id}:
              steps:
                p: { upstream: a, path: "/products/{id}" }
        mobile:
          routes:
            GET /products/{id}:
              steps:
                p: { upstream: a, path: "/products/{id}" }
      """;

  @Test
  void deprecatedRouteSendsDeprecationSunsetAndSuccessorOnEveryAnswer() {
    a.on("/products/1", FakeUpstream.json("{}"));
    a.on("/products/2", FakeUpstream.json(500, "{}"));
    start(ROUTES);
    for (String id : new String[] {"1", "2"}) {
      HttpResponse<String> r = gw.get("/web/v1/products/" + id);
      assertThat(r.statusCode()).isEqualTo(id.equals("1") ? 200 : 502);
      assertThat(r.headers().firstValue("deprecation")).hasValue("@1767225600");
      assertThat(r.headers().firstValue("sunset")).hasValue("Thu, 31 Dec 2026 23:59:59 GMT");
      assertThat(r.headers().firstValue("link"))
          .hasValue("</web/v2/products/" + id + ">; rel=\"successor-version\"");
    }
    HttpResponse<String> current = gw.get("/web/v2/products/1");
    assertThat(current.headers().map()).doesNotContainKeys("deprecation", "sunset", "link");
  }

  @Test
  void successorValuesArePercentEncoded() {
    a.on("/products", FakeUpstream.json("{}"));
    start(ROUTES);
    HttpResponse<String> r = gw.get("/web/v1/products/a%20b%2Fc");
    assertThat(r.headers().firstValue("link"))
        .hasValue("</web/v2/products/a%20b%2Fc>; rel=\"successor-version\"");
  }

  @Test
  void sunsetIsAnImfFixdateWithATwoDigitDay() {
    a.on("/products", FakeUpstream.json("{}"));
    start(ROUTES.replace("sunset: 2026-12-31T23:59:59Z", "sunset: 2026-07-01T08:05:09+02:00"));
    assertThat(gw.get("/web/v1/products/1").headers().firstValue("sunset"))
        .hasValue("Wed, 01 Jul 2026 06:05:09 GMT");
  }

  @Test
  void withoutSunsetOrSuccessorOnlyDeprecationIsSent() {
    a.on("/products", FakeUpstream.json("{}"));
    start(
        ROUTES.replace(", sunset: 2026-12-31T23:59:59Z, successor: \"/web/v2/products/{id}\"", ""));
    HttpResponse<String> r = gw.get("/web/v1/products/1");
    assertThat(r.headers().firstValue("deprecation")).hasValue("@1767225600");
    assertThat(r.headers().map()).doesNotContainKeys("sunset", "link");
  }

  @Test
  void routeVersionIsTheFirstVersionSegmentOfItsPath() {
    ConfigLoader.Result loaded =
        new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1"))).parse(ROUTES, "v.yaml");
    List<RoutePlan> routes = PlanCompiler.compile(loaded.spec(), "x").plan().routes();
    assertThat(routes)
        .extracting(RoutePlan::template, RoutePlan::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/web/v1/products/{id}", "v1"),
            org.assertj.core.groups.Tuple.tuple("/web/v2/products/{id}", "v2"),
            org.assertj.core.groups.Tuple.tuple("/products/{id}", null));
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigLoader.Result loaded =
        new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1"))).parse(yaml, "d.yaml");
    if (!loaded.ok()) {
      return loaded.errors();
    }
    return PlanCompiler.compile(loaded.spec(), "x").errors();
  }

  @Test
  void successorVariableThatIsNotAPathParameterIsALocatedError() {
    String yaml =
        ROUTES.replace(
            "successor: \"/web/v2/products/{id}\"", "successor: \"/web/v2/products/{sku}\"");
    assertThat(errors(yaml))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path())
                  .isEqualTo(
                      "experiences.web.routes[\"GET /v1/products/{id}\"].deprecated.successor");
              assertThat(e.message())
                  .isEqualTo("'{sku}' is not a path parameter of this route (expected one of: id)");
              assertThat(e.at().line()).isEqualTo(9);
            });
  }

  @Test
  void badInstantsAndASunsetBeforeTheDeprecationAreLocatedErrors() {
    String yaml = ROUTES.replace("since: 2026-01-01T00:00:00Z", "since: next-monday");
    assertThat(errors(yaml))
        .extracting(ConfigError::format)
        .containsExactly(
            "d.yaml:"
                + Locate.of(yaml, "next-monday")
                + ": experiences.web.routes[\"GET /v1/products/{id}\"].deprecated.since: 'next-monday' is not an RFC 3339 instant"
                + " (expected e.g. 2026-12-31T23:59:59Z)");
    String backwards =
        ROUTES.replace("sunset: 2026-12-31T23:59:59Z", "sunset: 2025-12-31T23:59:59+01:00");
    assertThat(errors(backwards))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.at().line() + ":" + e.at().column())
                  .isEqualTo(Locate.of(backwards, "2025-12-31"));
              assertThat(e.message())
                  .startsWith("2025-12-31T22:59:59Z is before since 2026-01-01T00:00:00Z");
            });
    String noSince = ROUTES.replace("since: 2026-01-01T00:00:00Z, ", "");
    assertThat(errors(noSince))
        .extracting(ConfigError::message)
        .containsExactly("missing required key 'since'");
  }
}
