package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client errors are RFC 9457 problems with the request id, decided before any upstream call. */
class EdgeErrorsTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              params: { id: { type: integer } }
              query: { page: { type: integer, required: true }, sort: { pattern: "^(asc|desc)$" } }
              steps:
                product: { upstream: a, path: "/products/{id}" }
            DELETE /p/{id}:
              steps:
                gone: { upstream: a, method: DELETE, path: "/products/{id}" }
            GET /p/featured:
              steps:
                product: { upstream: a, path: "/featured" }
            POST /orders:
              steps:
                order: { upstream: a, method: POST, path: "/orders", body: { sku: "{body.sku}" } }
      """;

  @BeforeEach
  void upstream() {
    start(CONFIG);
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
  }

  private static JsonNode problem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    try {
      JsonNode p = Json.MAPPER.readTree(r.body());
      assertThat(p.get("status").asInt()).isEqualTo(status);
      assertThat(p.get("requestId").asText())
          .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(p.get("type").asText()).startsWith("urn:medley:problem:");
      return p;
    } catch (Exception e) {
      throw new AssertionError(r.body(), e);
    }
  }

  @Test
  void unknownRouteIs404() {
    problem(gw.get("/web/nothing/here"), 404);
    problem(gw.get("/mobile/p/1?page=1"), 404);
    assertThat(a.received()).isEmpty();
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1")).PUT(HttpRequest.BodyPublishers.noBody()));
    problem(r, 405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, DELETE");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void invalidParametersAre400NamingTheParameter() {
    assertThat(problem(gw.get("/web/p/abc?page=1"), 400).get("detail").asText())
        .contains("'id'")
        .contains("integer");
    assertThat(problem(gw.get("/web/p/1"), 400).get("detail").asText())
        .contains("'page' is required");
    assertThat(problem(gw.get("/web/p/1?page=x"), 400).get("detail").asText()).contains("'page'");
    assertThat(problem(gw.get("/web/p/1?page=1&sort=sideways"), 400).get("detail").asText())
        .contains("'sort'");
    assertThat(
            problem(gw.get("/web/p/" + "9".repeat(1100) + "?page=1"), 400).get("detail").asText())
        .contains("longer");
    assertThat(a.received()).isEmpty();
    assertThat(gw.get("/web/p/1?page=2&sort=asc").statusCode()).isEqualTo(200);
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() {
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1?page=1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void literalSegmentsWinOverParameters() {
    assertThat(gw.get("/web/p/featured").statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).uri()).isEqualTo("/featured");
  }

  @Test
  void invalidJsonBodyIs400() {
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/orders"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":")));
    problem(r, 400);
    assertThat(a.received()).isEmpty();
  }

  @Test
  void requestIdIsEchoedWhenSafeAndReplacedWhenNot() {
    HttpResponse<String> ok =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1?page=1")).header("x-request-id", "abc-123"));
    assertThat(ok.headers().firstValue("x-request-id")).hasValue("abc-123");
    assertThat(a.received().get(0).headers().get("x-request-id")).isEqualTo("abc-123");
    HttpResponse<String> bad =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1?page=1")).header("x-request-id", "<script>"));
    assertThat(bad.headers().firstValue("x-request-id"))
        .isPresent()
        .get()
        .asString()
        .matches("[0-9a-f]{32}");
  }
}
