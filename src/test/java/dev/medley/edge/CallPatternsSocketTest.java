package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Prometheus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The call patterns on real sockets, where only sockets can show them: a shadow upstream receives
 * its call while the client already has its answer; a hedge against a slow real upstream answers
 * the client from the second attempt and discards the first; static data reaches the wire on a 200
 * and inside a problem+json. Time is the gateway's {@code ManualClock}.
 */
class CallPatternsSocketTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server: { admin: { token: "${env:ADMIN_TOKEN}" } }
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}", timeout: 500ms }
        c: { url: "${env:C}", hedge: { after: 50ms } }
      experiences:
        web:
          routes:
            GET /p/{id}:
              headers: [x-user]
              steps:
                product: { upstream: a, path: "/products/{id}" }
                next:
                  upstream: b
                  path: "/v2/products/{id}"
                  query: { sku: "{product.sku}" }
                  headers: { X-Shadow-Of: "{headers.x-user}" }
                  shadow: true
              response: { name: product.name }
              static: { data: { support: "help@example.com" } }
            GET /search:
              query: { q: { required: true } }
              steps:
                hits: { upstream: c, path: /search, query: { q: "{query.q}" } }
            POST /orders:
              steps:
                order: { upstream: c, method: POST, path: /orders, body: { item: 1 } }
      """;

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  private Prometheus metrics() {
    return Prometheus.parse(gw.admin("/metrics", ADMIN_TOKEN).body());
  }

  @Test
  void theClientHasItsAnswerWhileTheShadowUpstreamStillHoldsItsCall() {
    start(CONFIG);
    a.on("/products/7", FakeUpstream.json("{\"name\":\"Shoe\",\"sku\":\"S 1\"}"));
    b.on("/v2/products", b.stall());
    HttpResponse<String> r =
        gw.request(
            java.net.http.HttpRequest.newBuilder(gw.uri("/p/7"))
                .header("x-user", "u-42")
                .header("authorization", "Bearer client-token"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"name\":\"Shoe\",\"support\":\"help@example.com\"}");
    assertThat(r.headers().firstValue("x-medley-partial")).isEmpty();
    b.awaitRequests(1);
    FakeUpstream.Received shadow = b.received().get(0);
    assertThat(shadow.method()).isEqualTo("GET");
    assertThat(shadow.uri()).isEqualTo("/v2/products/7?sku=S%201");
    assertThat(shadow.headers().get("x-shadow-of")).isEqualTo("u-42");
    assertThat(shadow.headers().contains("authorization"))
        .as("nothing of the client's is forwarded that the step did not name")
        .isFalse();
    b.releaseStalled("{}");
    assertThat(
            untilPresent(
                "medley_shadow_calls_total",
                Map.of("route", "web GET /p/{id}", "step", "next", "outcome", "ok")))
        .as("counted when the shadow upstream answered")
        .isEqualTo(1.0);
  }

  @Test
  void aHedgeToASlowUpstreamAnswersTheClientAndTheLoserIsDiscarded() {
    start(CONFIG);
    c.on("/search", FakeUpstream.sequence(c.stall(), FakeUpstream.json("{\"hits\":[2]}")));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/search?q=shoe");
    c.awaitRequests(1);
    clock.awaitTimerDueIn(Duration.ofMillis(50));
    assertThat(pending).isNotDone();
    clock.advance(Duration.ofMillis(50));
    HttpResponse<String> r = Harness.await(pending);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("hits").toString()).isEqualTo("{\"hits\":[2]}");
    assertThat(c.received())
        .extracting(FakeUpstream.Received::uri)
        .containsExactly("/search?q=shoe", "/search?q=shoe");
    c.releaseStalled("{\"hits\":[1]}"); // the first attempt answers late: discarded
    Prometheus m = metrics();
    assertThat(m.value("medley_upstream_hedges_total", Map.of("upstream", "c", "outcome", "sent")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_upstream_hedges_total", Map.of("upstream", "c", "outcome", "won")))
        .isEqualTo(1.0);
  }

  @Test
  void aPostToAHedgedUpstreamIsSentOnceHoweverLongItTakes() {
    start(CONFIG);
    c.on("/orders", c.stall());
    CompletableFuture<HttpResponse<String>> pending =
        gw.send(
            java.net.http.HttpRequest.newBuilder(gw.uri("/orders"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(200));
    c.releaseStalled("{\"id\":1}");
    assertThat(Harness.await(pending).statusCode()).isEqualTo(200);
    assertThat(c.received()).hasSize(1);
  }

  @Test
  void staticDataIsInTheProblemOfAFailedAnswer() {
    start(CONFIG);
    a.on("/products/7", FakeUpstream.json(500, "{}"));
    HttpResponse<String> r = gw.get("/p/7");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("support").asText()).isEqualTo("help@example.com");
    assertThat(p.get("step").asText()).isEqualTo("product");
    assertThat(p.get("status").asInt()).isEqualTo(502);
    assertThat(b.received()).as("no shadow for a failed answer").isEmpty();
  }

  /**
   * The metric once it appears: a bounded number of scrapes (each a real round trip), since it is
   * recorded on an event loop after the test released the upstream.
   */
  private Double untilPresent(String name, Map<String, String> labels) {
    for (int i = 0; i < 500; i++) {
      Double v = metrics().value(name, labels);
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
