package dev.medley.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Explain mode: the executed plan beside the body, for holders of the admin token only. */
class ExplainTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server:
        admin: { token: s3cret }
      observe:
        accessLog: { target: none }
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
        c: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              deadline: 2s
              steps:
                product: { upstream: a, path: "/products/{id}" }
                brand: { upstream: b, path: "/brands/{product.brandId}" }
                reviews: { upstream: c, path: "/reviews/{id}", optional: { count: 0 } }
              response: { name: product.name, brand: brand.name, reviews: reviews }
      """;

  private HttpRequest.Builder explained(String path, String token) {
    return HttpRequest.newBuilder(gw.uri(path))
        .header("X-Medley-Explain", "1")
        .header("X-Medley-Admin-Token", token);
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private static JsonNode step(JsonNode explain, String name) {
    for (JsonNode s : explain.get("steps")) {
      if (s.get("step").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + explain);
  }

  @Test
  void explainShowsTheWaterfallBesideTheBody() {
    start(CONFIG);
    a.on("/products", a.stall());
    b.on("/brands", b.stall());
    c.on("/reviews", FakeUpstream.json(500, "{}"));
    CompletableFuture<HttpResponse<String>> pending = gw.send(explained("/web/p/1", "s3cret"));
    a.awaitRequests(1);
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(30));
    a.releaseStalled("{\"name\":\"Shoe\",\"brandId\":\"7\"}");
    b.awaitRequests(1); // brand starts once product has answered, at 30ms
    clock.advance(Duration.ofMillis(20));
    b.releaseStalled("{\"name\":\"Greyfell\"}");
    HttpResponse<String> r = gw.await(pending);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-medley-explain")).hasValue("1");
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("reviews");
    JsonNode out = json(r);
    assertThat(out.get("status").asInt()).isEqualTo(200);
    assertThat(out.get("body").get("name").asText()).isEqualTo("Shoe");
    assertThat(out.get("body").get("_partial").asBoolean()).isTrue();
    JsonNode explain = out.get("explain");
    assertThat(explain.get("route").asText()).isEqualTo("/web/p/{id}");
    assertThat(explain.get("experience").asText()).isEqualTo("web");
    assertThat(explain.get("deadlineMs").asLong()).isEqualTo(2000);
    assertThat(explain.get("durationMs").asDouble()).isEqualTo(50.0);
    assertThat(explain.get("planVersion").asText()).hasSize(12);
    assertThat(explain.get("partial")).extracting(JsonNode::asText).containsExactly("reviews");

    JsonNode product = step(explain, "product");
    assertThat(product.get("upstream").asText()).isEqualTo("a");
    assertThat(product.get("dependsOn")).isEmpty();
    assertThat(product.get("startMs").asDouble()).isEqualTo(0.0);
    assertThat(product.get("endMs").asDouble()).isEqualTo(30.0);
    assertThat(product.get("outcome").asText()).isEqualTo("ok");
    assertThat(product.get("calls").asInt()).isEqualTo(1);
    assertThat(product.get("attempts").asInt()).isEqualTo(1);
    assertThat(product.get("cache").asText()).isEqualTo("none");
    JsonNode brand = step(explain, "brand");
    assertThat(brand.get("dependsOn")).extracting(JsonNode::asText).containsExactly("product");
    assertThat(brand.get("startMs").asDouble()).isEqualTo(30.0);
    assertThat(brand.get("endMs").asDouble()).isEqualTo(50.0);
    JsonNode reviews = step(explain, "reviews");
    assertThat(reviews.get("optional").asBoolean()).isTrue();
    assertThat(reviews.get("outcome").asText()).isEqualTo("degraded");
    assertThat(reviews.get("reason").asText()).isEqualTo("STATUS");
  }

  @Test
  void failedRouteIsExplainedWithTheProblemAsBody() {
    start(CONFIG);
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"brandId\":\"7\"}"));
    b.on("/brands", FakeUpstream.json(503, "{}"));
    c.on("/reviews", FakeUpstream.json("{\"count\":3}"));
    HttpResponse<String> r = gw.request(explained("/web/p/1", "Bearer s3cret"));

    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode out = json(r);
    assertThat(out.get("body").get("type").asText()).isEqualTo("urn:medley:problem:step-failed");
    JsonNode brand = step(out.get("explain"), "brand");
    assertThat(brand.get("outcome").asText()).isEqualTo("failed");
    assertThat(brand.get("reason").asText()).isEqualTo("STATUS");
    assertThat(step(out.get("explain"), "product").get("outcome").asText()).isEqualTo("ok");
  }

  @Test
  void withoutTheAdminTokenTheHeaderIsIgnored() {
    start(CONFIG);
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"brandId\":\"7\"}"));
    b.on("/brands", FakeUpstream.json("{\"name\":\"Greyfell\"}"));
    c.on("/reviews", FakeUpstream.json("{\"count\":3}"));

    for (HttpRequest.Builder req :
        new HttpRequest.Builder[] {
          explained("/web/p/1", "wrong"),
          HttpRequest.newBuilder(gw.uri("/web/p/1")).header("X-Medley-Explain", "1"),
          // a user's own bearer token is not the admin token's channel
          HttpRequest.newBuilder(gw.uri("/web/p/1"))
              .header("X-Medley-Explain", "1")
              .header("Authorization", "Bearer s3cret")
        }) {
      HttpResponse<String> r = gw.request(req);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-medley-explain")).isEmpty();
      assertThat(json(r).has("explain")).isFalse();
      assertThat(json(r).get("name").asText()).isEqualTo("Shoe");
    }
  }

  @Test
  void explainWorksWithTheTokenGeneratedWhenTheConfigSetsNone() {
    // The default and the demo's case: no server.admin.token, so the gateway generates one at
    // start.
    start(CONFIG.replace("  admin: { token: s3cret }\n", "  admin: {}\n"));
    String generated = gw.gateway.adminToken();
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"brandId\":\"7\"}"));
    b.on("/brands", FakeUpstream.json("{\"name\":\"Greyfell\"}"));
    c.on("/reviews", FakeUpstream.json("{\"count\":3}"));

    HttpResponse<String> r = gw.request(explained("/web/p/1", "Bearer " + generated));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-medley-explain")).hasValue("1");
    JsonNode out = json(r);
    assertThat(out.get("body").get("name").asText()).isEqualTo("Shoe");
    assertThat(step(out.get("explain"), "brand").get("dependsOn").get(0).asText())
        .isEqualTo("product");
    // and a wrong token is still ignored
    HttpResponse<String> wrong = gw.request(explained("/web/p/1", "not-" + generated));
    assertThat(json(wrong).has("explain")).isFalse();
  }

  private static final String EXPRESSIONS =
      """
      version: 1
      server:
        admin: { token: s3cret }
      observe:
        accessLog: { target: none }
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /w/{id}:
              params: { id: { type: integer } }
              steps:
                product: { upstream: a, path: "/products/{id}" }
                stock: { upstream: b, path: "/stock/{id}", when: "product.inStock" }
              response: { name: product.name, twice: "params.id * 2", initial: "product.name.first" }
      """;

  @Test
  void explainNamesTheConfigPlaceOfAFailedExpression() {
    start(EXPRESSIONS);
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    b.on("/stock", FakeUpstream.json("{\"n\":1}"));

    // when gives null (inStock absent): the step fails, and explain says which expression, where.
    HttpResponse<String> r = gw.request(explained("/web/w/05", "s3cret"));
    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode stock = step(json(r).get("explain"), "stock");
    assertThat(stock.get("outcome").asText()).isEqualTo("failed");
    assertThat(stock.get("reason").asText()).isEqualTo("EXPRESSION");
    assertThat(stock.get("where").asText())
        .isEqualTo("test.yaml:17:61 (experiences.web.routes[\"GET /w/{id}\"].steps.stock.when)");
    assertThat(step(json(r).get("explain"), "product").has("where")).isFalse();
  }

  @Test
  void explainNamesTheConfigPlaceOfAFailedResponseField() {
    start(EXPRESSIONS);
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"inStock\":false}"));

    HttpResponse<String> r = gw.request(explained("/web/w/05", "s3cret"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode out = json(r);
    // The declared integer reaches the expression as a number: "05" * 2 is 10.
    assertThat(out.get("body").toString())
        .isEqualTo("{\"name\":\"Shoe\",\"twice\":10,\"initial\":null,\"_partial\":true}");
    assertThat(out.get("explain").get("failedFields").toString())
        .isEqualTo(
            "[{\"field\":\"response.initial\",\"where\":\"test.yaml:18:75 (experiences.web.routes[\\\"GET /w/{id}\\\"].response.initial)\"}]");
    // Text that is not the declared type never reaches an expression.
    HttpResponse<String> bad = gw.request(HttpRequest.newBuilder(gw.uri("/web/w/abc")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("detail").asText()).isEqualTo("path parameter 'id' is not an integer");
  }
}
