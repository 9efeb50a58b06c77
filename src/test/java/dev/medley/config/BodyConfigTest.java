package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.plan.BodyPlan;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy:}, {@code requestBody:}, {@code forwardBody:} and {@code responseType:}: what they
 * compile to, and each misuse as a located load error that says why.
 */
@Tag("fast")
class BodyConfigTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        a: { url: "http://127.0.0.1:9101" }
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: api.test
          jwks: https://issuer.test/jwks.json
          algorithms: [RS256]
      experiences:
        web:
          auth: none
          routes:
      """;

  private static ConfigLoader.Result parse(String routes) {
    return new ConfigLoader(Env.of(Map.of())).parse(HEAD + routes.indent(6), "m.yaml");
  }

  private static List<String> errors(String routes) {
    ConfigLoader.Result r = parse(routes);
    List<ConfigError> all = r.ok() ? PlanCompiler.compile(r.spec(), "v").errors() : r.errors();
    return all.stream().map(ConfigError::format).toList();
  }

  private static RoutePlan plan(String routes) {
    PlanCompiler.Result r = PlanCompiler.compile(parse(routes).spec(), "v");
    assertThat(r.errors()).isEmpty();
    return r.plan().routes().get(0);
  }

  @Test
  void aRouteWithoutTheKeysHasNoBodyPlan() {
    RoutePlan r =
        plan(
            "POST /o:\n  steps: { o: { upstream: a, method: POST, path: /o, body: \"{body}\" } }\n");
    assertThat(r.bodies()).as("nothing changes for routes that do not use them").isNull();
  }

  @Test
  void aProxyRouteIsOneRawStepThatForwardsTheBody() {
    RoutePlan r =
        plan(
            "PUT /f/{id}:\n  requestBody: { accept: [bytes, form] }\n  proxy: { upstream: a, path: \"/files/{id}\", timeout: 2s }\n");
    assertThat(r.steps()).hasSize(1);
    assertThat(r.steps()[0].name()).isEqualTo(BodyPlan.PROXY_STEP);
    assertThat(r.steps()[0].method()).isEqualTo("PUT");
    assertThat(r.steps()[0].bodyUse()).isEqualTo(new BodyUse(true, BodyUse.RAW));
    assertThat(r.bodies())
        .isEqualTo(new BodyPlan(false, true, false, true, false, java.util.Set.of("proxy"), true));
  }

  @Test
  void proxyWithStepsOrResponseIsRefusedWhereTheyAre() {
    assertThat(
            errors(
                """
                GET /f:
                  proxy: { upstream: a, path: /f }
                  steps: { s: { upstream: a, path: /s } }
                  response: { x: s }
                """))
        .containsExactly(
            "m.yaml:16:16: experiences.web.routes[\"GET /f\"].steps: steps on a proxy route (a"
                + " pass-through route answers with the upstream's own answer: expected either"
                + " proxy: or steps:, not both)",
            "m.yaml:17:19: experiences.web.routes[\"GET /f\"].response: response on a proxy route"
                + " (a pass-through route answers with the upstream's own answer: expected either"
                + " proxy: or steps:, not both)");
  }

  @Test
  void proxyNeedsAKnownUpstreamAndASafePath() {
    assertThat(errors("GET /f:\n  proxy: { upstream: a }\n"))
        .singleElement()
        .asString()
        .contains("proxy")
        .contains("missing required key 'path'");
    assertThat(errors("GET /f/{id}:\n  proxy: { upstream: files, path: \"/f/{id}\" }\n"))
        .singleElement()
        .asString()
        .startsWith("m.yaml:")
        .contains("unknown upstream 'files'");
    assertThat(errors("GET /f/{id}:\n  proxy: { upstream: a, path: \"/f/{nope}\" }\n"))
        .singleElement()
        .asString()
        .contains("nope");
  }

  @Test
  void requestBodyMisuseIsLocated() {
    assertThat(
            errors(
                "GET /f:\n  requestBody: { accept: [form] }\n  steps: { s: { upstream: a, path: /s } }\n"))
        .containsExactly(
            "m.yaml:15:22: experiences.web.routes[\"GET /f\"].requestBody: requestBody on a GET"
                + " route (a request body is read for POST, PUT and PATCH only)");
    assertThat(
            errors(
                "POST /f:\n  requestBody: { accept: [fomr] }\n  steps: { s: { upstream: a, path: /s } }\n"))
        .singleElement()
        .asString()
        .contains("'fomr'")
        .contains("did you mean 'form'");
  }

  @Test
  void jsonWithoutContentTypeNeedsABearerOnlyRoute() {
    assertThat(
            errors(
                "POST /f:\n  requestBody: { jsonWithoutContentType: true }\n  steps: { s: { upstream: a, method: POST, path: /s, body: \"{body}\" } }\n"))
        .singleElement()
        .asString()
        .contains("requestBody.jsonWithoutContentType")
        .contains("expected auth: jwt")
        .contains("preflight");
    assertThat(
            errors(
                "POST /f:\n  auth: jwt\n  requestBody: { jsonWithoutContentType: true }\n  steps: { s: { upstream: a, method: POST, path: /s, body: \"{body}\" } }\n"))
        .isEmpty();
  }

  @Test
  void aBasicAuthRouteAcceptsOnlyJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("users.htpasswd");
    java.nio.file.Files.writeString(
        file, "acme:$2y$10$abcdefghijklmnopqrstuuOpQ8y7mHq5w4p3n2b1v0c9x8z7l6k5j\n");
    String yaml =
        HEAD.replace("experiences:", "  basic: { htpasswdFile: \"" + file + "\" }\nexperiences:")
            + "POST /f:\n  auth: basic\n  requestBody: { accept: [json, form] }\n  steps: { s: { upstream: a, method: POST, path: /s, forwardBody: true } }\n"
                .indent(6);
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(yaml, "m.yaml");
    assertThat(r.errors().stream().map(ConfigError::format))
        .singleElement()
        .asString()
        .contains("requestBody.accept")
        .contains("auth: basic")
        .contains("cached Basic credentials");
  }

  @Test
  void forwardBodyMisuseIsLocated() {
    assertThat(
            errors(
                "POST /f:\n  steps: { s: { upstream: a, method: POST, path: /s, body: {x: 1}, forwardBody: true } }\n"))
        .singleElement()
        .asString()
        .contains("steps.s.forwardBody")
        .contains("together with body");
    assertThat(errors("POST /f:\n  steps: { s: { upstream: a, path: /s, forwardBody: true } }\n"))
        .singleElement()
        .asString()
        .contains("true on a GET step");
    assertThat(
            errors(
                "GET /f:\n  steps: { s: { upstream: a, method: POST, path: /s, forwardBody: true } }\n"))
        .singleElement()
        .asString()
        .contains("steps.s.forwardBody")
        .contains("no client body to forward");
    assertThat(errors("GET /f:\n  steps: { s: { upstream: a, path: /s, responseType: xml } }\n"))
        .singleElement()
        .asString()
        .contains("'xml' (expected one of: json, text, auto)");
  }
}
