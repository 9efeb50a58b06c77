package dev.medley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.gateway.Gateway;
import dev.medley.json.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/config}: the active plan and its version, never a secret. */
class AdminConfigTest extends GatewayTest {
  private static final String YAML =
      """
      version: 1
      server:
        admin: { token: "${env:ADMIN_TOKEN}" }
      upstreams:
        a:
          url: "${env:A}"
          timeout: 250ms
          headers: { Authorization: "Bearer s3cr3t-upstream-token" }
        b: { url: "http://svc:p4ssw0rd@127.0.0.1:1/base", health: { path: /health, interval: 30s } }
      experiences:
        web:
          basePath: /web
          routes:
            GET /v2/products/{id}:
              deadline: 800ms
              steps:
                product: { upstream: a, path: "/products/{id}" }
                brand: { upstream: b, path: "/brands/{product.brandId}", optional: null }
            GET /v3/products/{id}:
              steps:
                product: { upstream: a, path: "/v3/products/{id}" }
            GET /v1/products/{id}:
              deprecated: { since: 2026-01-01T00:00:00Z, sunset: 2026-12-31T23:59:59Z, successor: "/web/v2/products/{id}" }
              canary: { to: "GET /v3/products/{id}", weight: 12.5%, sticky: "header:x-user" }
              steps:
                product: { upstream: a, path: "/products/{id}" }
      """;

  private JsonNode config() throws Exception {
    HttpResponse<String> r = gw.admin("GET", "/admin/config", ADMIN_TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void showsTheActivePlanWithItsVersion() throws Exception {
    start(YAML);
    JsonNode c = config();
    assertThat(c.path("version").asText())
        .isEqualTo(Gateway.version(YAML))
        .isEqualTo(gw.gateway.plan().version());
    JsonNode v2 = c.path("routes").get(0);
    assertThat(v2.path("path").asText()).isEqualTo("/web/v2/products/{id}");
    assertThat(v2.path("version").asText()).isEqualTo("v2");
    assertThat(v2.path("deadline").asText()).isEqualTo("800ms");
    assertThat(v2.path("steps").get(0).path("name").asText()).isEqualTo("product");
    assertThat(v2.path("steps").get(0).path("dependsOn")).isEmpty();
    JsonNode brand = v2.path("steps").get(1);
    assertThat(brand.path("upstream").asText()).isEqualTo("b");
    assertThat(brand.path("optional").asBoolean()).isTrue();
    assertThat(brand.path("dependsOn").get(0).asText()).isEqualTo("product");
    JsonNode v1 = c.path("routes").get(2);
    assertThat(v1.path("deprecated").path("sunset").asText()).isEqualTo("2026-12-31T23:59:59Z");
    assertThat(v1.path("canary").path("to").asText()).isEqualTo("GET /web/v3/products/{id}");
    assertThat(v1.path("canary").path("weight").asText()).isEqualTo("12.5%");
    assertThat(v1.path("canary").path("sticky").asText()).isEqualTo("header:x-user");
    assertThat(c.path("upstreams").get(0).path("timeout").asText()).isEqualTo("250ms");
    assertThat(c.path("upstreams").get(1).path("health").path("path").asText())
        .isEqualTo("/health");
    assertThat(c.path("draining")).isEmpty();
  }

  @Test
  void neverShowsASecret() throws Exception {
    start(YAML);
    JsonNode c = config();
    String text = c.toString();
    assertThat(text)
        .doesNotContain("s3cr3t-upstream-token")
        .doesNotContain("p4ssw0rd")
        .doesNotContain(ADMIN_TOKEN);
    assertThat(c.path("upstreams").get(0).path("headers").path("Authorization").asText())
        .isEqualTo(PlanView.REDACTED);
    assertThat(c.path("upstreams").get(1).path("url").asText())
        .isEqualTo("http://<redacted>@127.0.0.1:1/base");
    assertThat(c.path("server").path("admin").path("token").asText()).isEqualTo(PlanView.REDACTED);
  }

  @Test
  void needsTheAdminToken() {
    start(YAML);
    HttpResponse<String> r = gw.admin("GET", "/admin/config", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValue("Bearer realm=\"medley-admin\"");
    assertThat(r.body()).doesNotContain("routes");
  }
}
