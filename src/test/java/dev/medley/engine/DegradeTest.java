package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Degrade, don't fail: optional steps fall back and mark the answer partial; critical failures are
 * 502 problems that name the step; the deadline (moved on a manual clock) bounds everything.
 */
class DegradeTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}", timeout: 5s }
        b: { url: "${env:B}", timeout: 5s, maxResponseSize: 1KiB }
        c: { url: "${env:C}", timeout: 100ms }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              deadline: 500ms
              steps:
                product: { upstream: a, path: "/products/{id}" }
                reviews: { upstream: b, path: "/reviews/{id}", optional: { count: 0, average: null } }
              response: { name: product.name, reviews: reviews }
            GET /seq/{id}:
              deadline: 500ms
              steps:
                product: { upstream: a, path: "/products/{id}" }
                reviews: { upstream: b, path: "/reviews/{product.name}", optional: { count: 0, average: null } }
              response: { name: product.name, reviews: reviews }
            GET /short/{id}:
              deadline: 2s
              steps:
                product: { upstream: c, path: "/products/{id}" }
              response: { name: product.name }
      """;

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private void productOk() {
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\"}"));
  }

  @Test
  void failedOptionalStepYieldsFallbackPartialFlagAndHeader() {
    start(CONFIG);
    productOk();
    b.on("/reviews", FakeUpstream.json(500, "{\"error\":\"boom\"}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo(
            "{\"name\":\"Shoe\",\"reviews\":{\"count\":0,\"average\":null},\"_partial\":true}");
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("reviews");
  }

  @Test
  void healthyAnswerHasNoPartialMarker() {
    start(CONFIG);
    productOk();
    b.on("/reviews", FakeUpstream.json("{\"count\":3,\"average\":4.5}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(json(r).has("_partial")).isFalse();
    assertThat(r.headers().firstValue("x-medley-partial")).isEmpty();
  }

  @Test
  void failedCriticalStepIsA502ProblemNamingTheStepButNoInternalUrl() {
    start(CONFIG);
    a.on("/products", FakeUpstream.json(503, "{\"error\":\"down\"}"));
    b.on("/reviews", FakeUpstream.json("{\"count\":3}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("status").asInt()).isEqualTo(502);
    assertThat(p.get("step").asText()).isEqualTo("product");
    assertThat(p.get("requestId").asText())
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(r.body())
        .doesNotContain("127.0.0.1")
        .doesNotContain(a.url())
        .doesNotContain("Exception");
  }

  @ParameterizedTest(name = "{0} is a failed step, not a crash")
  @ValueSource(
      strings = {
        "garbage",
        "truncatedJson",
        "reset",
        "truncateMidBody",
        "notFound",
        "tooLarge",
        "html"
      })
  void brokenUpstreamAnswersAreFailedSteps(String fault) {
    start(CONFIG);
    productOk();
    b.on(
        "/reviews",
        switch (fault) {
          case "garbage" -> FakeUpstream.garbage();
          case "truncatedJson" -> FakeUpstream.truncatedJson();
          case "reset" -> FakeUpstream.reset();
          case "truncateMidBody" -> FakeUpstream.truncateMidBody();
          case "notFound" -> FakeUpstream.json(404, "{\"error\":\"no\"}");
          case "tooLarge" -> FakeUpstream.big(4096);
          default ->
              (req, body) ->
                  req.response().putHeader("content-type", "text/html").end("<html>oops</html>");
        });
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("reviews").toString()).isEqualTo("{\"count\":0,\"average\":null}");
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("reviews");
    // The gateway keeps serving after the fault.
    b.on("/reviews", FakeUpstream.json("{\"count\":1}"));
    assertThat(json(gw.get("/web/p/2")).get("reviews").toString()).isEqualTo("{\"count\":1}");
  }

  @Test
  void atTheDeadlinePendingOptionalStepsFallBack() {
    start(CONFIG);
    productOk();
    b.on("/reviews", b.stall());
    // reviews waits for product here, so its arrival proves product is done.
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/seq/1");
    b.awaitRequests(1);
    clock.advance(Duration.ofMillis(499));
    assertThat(pending).isNotDone();
    clock.advance(Duration.ofMillis(1));
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("reviews").get("count").asInt()).isZero();
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("reviews");
  }

  @Test
  void atTheDeadlineAPendingCriticalStepMakesA504() {
    start(CONFIG);
    a.on("/products", a.stall());
    b.on("/reviews", FakeUpstream.json("{\"count\":3}"));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/p/1");
    a.awaitRequests(1);
    clock.advance(Duration.ofMillis(500));
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(json(r).get("step").asText()).isEqualTo("product");
    assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:deadline-exceeded");
  }

  @Test
  void callTimeoutShorterThanTheDeadlineIsA502NotA504() {
    start(CONFIG);
    c.on("/products", c.stall());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/short/1");
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(100));
    // GET retries a timed-out attempt once by default (docs/resilience.md); it times out as well.
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(100));
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).get("detail").asText()).contains("did not answer within 100ms");
  }

  @Test
  void noTimersAreLeftAfterRequestsComplete() {
    start(CONFIG);
    productOk();
    b.on("/reviews", FakeUpstream.json("{\"count\":3}"));
    for (int i = 0; i < 20; i++) {
      assertThat(gw.get("/web/p/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(clock.pendingTimers()).isZero();
  }
}
