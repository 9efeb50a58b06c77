package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream errors passed to the client by choice ({@code passErrors}, {@code allOptionalFailed})
 * and upstream redirects followed by choice ({@code followRedirects}), over real sockets: the fake
 * upstreams check what they received, and the defaults (a 502 problem) hold without the keys.
 */
class PassErrorsAndRedirectsTest extends GatewayTest {

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private static String passConfig(String routeKeys, String stepKeys) {
    return """
        version: 1
        upstreams:
          a: { url: "${env:A}", timeout: 5s, retry: { attempts: 1 } }
          b: { url: "${env:B}", timeout: 5s, retry: { attempts: 1 } }
        experiences:
          web:
            routes:
              GET /orders/{id}:
                deadline: 5s
        %s
                steps:
                  order: { upstream: a, path: "/orders/{id}"%s }
                  notes: { upstream: b, path: "/notes/{id}", optional: [] }
                response: { order: order, notes: notes }
        """
        .formatted(routeKeys, stepKeys);
  }

  // ---- passErrors ----

  @Test
  void criticalStep404IsStillA502ProblemWithoutPassErrors() {
    start(passConfig("", ""));
    a.on("/orders", FakeUpstream.json(404, "{\"error\":\"no order 7\"}"));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.body()).doesNotContain("no order 7");
  }

  @Test
  void listedStatusPassesAsAProblemWithThatStatusButWithoutTheUpstreamBody() {
    start(passConfig("        passErrors: [404, 409]", ""));
    a.on("/orders", FakeUpstream.json(404, "{\"error\":\"no order 7\"}"));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("status").asInt()).isEqualTo(404);
    assertThat(p.get("title").asText()).isEqualTo("Not Found");
    assertThat(p.get("step").asText()).isEqualTo("order");
    assertThat(r.body()).doesNotContain("no order 7").doesNotContain("127.0.0.1");
  }

  @Test
  void statusNotListedIsStillA502() {
    start(passConfig("        passErrors: [404]", ""));
    a.on("/orders", FakeUpstream.json(409, "{}"));
    b.on("/notes", FakeUpstream.json("[]"));
    assertThat(gw.get("/orders/7").statusCode()).isEqualTo(502);
  }

  @Test
  void stepBodyPassesWithItsContentTypeAndNoOtherUpstreamHeader() {
    start(passConfig("", ", passErrors: { statuses: [4xx], body: 4xx }"));
    String problem = "{\"type\":\"urn:orders:conflict\",\"title\":\"Conflict\",\"status\":422}";
    a.on(
        "/orders",
        (req, body) ->
            req.response()
                .setStatusCode(422)
                .putHeader("content-type", "application/problem+json; charset=utf-8")
                .putHeader("set-cookie", "session=internal")
                .putHeader("x-internal-host", "orders-7.cluster.local")
                .putHeader("keep-alive", "timeout=5")
                .end(problem));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).isEqualTo(problem);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("application/problem+json; charset=utf-8");
    assertThat(r.headers().map().keySet())
        .doesNotContain("set-cookie", "x-internal-host", "keep-alive");
  }

  @Test
  void passed429KeepsRetryAfter() {
    start(passConfig("        passErrors: [429]", ""));
    a.on(
        "/orders",
        (req, body) ->
            req.response()
                .setStatusCode(429)
                .putHeader("retry-after", "7")
                .putHeader("content-type", "application/json")
                .end("{}"));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @Test
  void serverErrorBodyNeverPassesUnlessAskedForAll() {
    start(passConfig("        passErrors: { statuses: [4xx, 503], body: 4xx }", ""));
    a.on(
        "/orders",
        (req, body) ->
            req.response()
                .setStatusCode(503)
                .putHeader("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")
                .putHeader("content-type", "text/plain")
                .end("db-primary-3 connection refused"));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.body()).doesNotContain("db-primary");
    assertThat(r.headers().firstValue("retry-after")).hasValue("Wed, 21 Oct 2026 07:28:00 GMT");
  }

  @ParameterizedTest(name = "{0} body is replaced by a problem")
  @ValueSource(strings = {"html", "tooLarge"})
  void unsafeOrLargeBodyIsReplacedByAProblemWithTheSameStatus(String what) {
    start(passConfig("        passErrors: { statuses: [404], body: 4xx, maxBodySize: 64B }", ""));
    String body =
        what.equals("html") ? "<script>x()</script>" : "{\"pad\":\"" + "x".repeat(100) + "\"}";
    String type = what.equals("html") ? "text/html" : "application/json";
    a.on(
        "/orders",
        (req, in) -> req.response().setStatusCode(404).putHeader("content-type", type).end(body));
    b.on("/notes", FakeUpstream.json("[]"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.body()).doesNotContain("script").doesNotContain("xxxx");
  }

  @Test
  void optionalStepErrorNeverPassesItDegrades() {
    start(passConfig("        passErrors: [4xx]", ""));
    a.on("/orders", FakeUpstream.json("{\"id\":7}"));
    b.on("/notes", FakeUpstream.json(404, "{}"));
    HttpResponse<String> r = gw.get("/orders/7");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("notes");
  }

  @Test
  void severalFailedCriticalStepsAnswerWithTheFirstDeclaredNotTheFirstToFail() throws Exception {
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", timeout: 5s, retry: { attempts: 1 } }
          b: { url: "${env:B}", timeout: 5s, retry: { attempts: 1 } }
        experiences:
          web:
            routes:
              POST /checkout:
                deadline: 5s
                passErrors: [4xx]
                steps:
                  cart: { upstream: a, method: POST, path: /carts/1/lock }
                  payment: { upstream: b, method: POST, path: /payments }
        """);
    CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();
    a.on("/carts", (req, body) -> held.complete(req));
    b.on("/payments", FakeUpstream.json(404, "{}"));
    CompletableFuture<HttpResponse<String>> answer =
        gw.send(
            HttpRequest.newBuilder(gw.uri("/checkout"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpServerRequest cart = held.get(10, TimeUnit.SECONDS);
    b.awaitRequests(1);
    // payment's 404 is in; the answer waits for cart, declared first, and takes its status.
    assertThat(answer).isNotDone();
    cart.response().setStatusCode(409).putHeader("content-type", "application/json").end("{}");
    HttpResponse<String> r = gw.await(answer);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).get("step").asText()).isEqualTo("cart");
  }

  @Test
  void everyOptionalStepFailingIsA502WhenTheRouteAsksForIt() {
    String config =
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", timeout: 5s, retry: { attempts: 1 } }
          b: { url: "${env:B}", timeout: 5s, retry: { attempts: 1 } }
        experiences:
          web:
            routes:
              GET /home:
                allOptionalFailed: fail
                steps:
                  news: { upstream: a, path: /news, optional: [] }
                  offers: { upstream: b, path: /offers, optional: [] }
        """;
    start(config);
    a.on("/news", FakeUpstream.json(500, "{}"));
    b.on("/offers", FakeUpstream.json(500, "{}"));
    HttpResponse<String> r = gw.get("/home");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).get("detail").asText()).contains("every optional step failed: news, offers");
    b.on("/offers", FakeUpstream.json("[1]"));
    HttpResponse<String> partial = gw.get("/home");
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(partial.headers().firstValue("x-medley-partial")).hasValue("news");
  }

  // ---- followRedirects ----

  private static String redirectConfig(String upstreamExtra) {
    return """
        version: 1
        upstreams:
          a: { url: "${env:A}", timeout: 5s, retry: { attempts: 1 }%s }
        experiences:
          web:
            routes:
              GET /items/{id}:
                steps:
                  item: { upstream: a, path: "/items/{id}" }
              POST /orders:
                steps:
                  order: { upstream: a, method: POST, path: /orders, body: { sku: "{body.sku}" } }
        """
        .formatted(upstreamExtra);
  }

  private static FakeUpstream.Behaviour redirect(int status, String location) {
    return (req, body) ->
        req.response().setStatusCode(status).putHeader("location", location).end();
  }

  private HttpResponse<String> postOrder() {
    return gw.request(
        HttpRequest.newBuilder(gw.uri("/orders"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"A-1\"}")));
  }

  @Test
  void redirectIsA502WithoutFollowRedirects() {
    start(redirectConfig(""));
    a.on("/items/1", redirect(302, "/items/2"));
    a.on("/items/2", FakeUpstream.json("{\"id\":2}"));
    HttpResponse<String> r = gw.get("/items/1");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).get("detail").asText()).contains("answered 302");
    assertThat(a.received()).extracting(FakeUpstream.Received::uri).containsExactly("/items/1");
  }

  @ParameterizedTest(name = "http2: {0}")
  @ValueSource(strings = {"off", "h2c"})
  void sameOriginRedirectIsFollowedOnBothClients(String http2) {
    start(redirectConfig(", followRedirects: true, http2: " + http2));
    a.on("/items/1", redirect(301, "/items/2?from=1"));
    a.on("/items/2", redirect(308, a.url() + "/items/3"));
    a.on("/items/3", FakeUpstream.json("{\"id\":3}"));
    HttpResponse<String> r = gw.get("/items/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("item").get("id").asInt()).isEqualTo(3);
    assertThat(a.received())
        .extracting(FakeUpstream.Received::uri)
        .containsExactly("/items/1", "/items/2?from=1", "/items/3");
  }

  @ParameterizedTest(name = "http2: {0}")
  @ValueSource(strings = {"off", "h2c"})
  void see303TurnsPostIntoGetWithoutBody(String http2) {
    start(redirectConfig(", followRedirects: true, http2: " + http2));
    a.on("/orders", redirect(303, "/receipts/9"));
    a.on("/receipts", FakeUpstream.json("{\"receipt\":9}"));
    HttpResponse<String> r = postOrder();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.received()).hasSize(2);
    FakeUpstream.Received first = a.received().get(0);
    FakeUpstream.Received second = a.received().get(1);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.body()).isEqualTo("{\"sku\":\"A-1\"}");
    assertThat(second.method()).isEqualTo("GET");
    assertThat(second.uri()).isEqualTo("/receipts/9");
    assertThat(second.body()).isEmpty();
    assertThat(second.headers().get("content-type")).isNull();
  }

  @Test
  void temporaryRedirect307KeepsMethodAndBody() {
    start(redirectConfig(", followRedirects: true"));
    a.on("/orders", redirect(307, "/v2/orders"));
    a.on("/v2/orders", FakeUpstream.json(201, "{\"order\":1}"));
    HttpResponse<String> r = postOrder();
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received second = a.received().get(1);
    assertThat(second.method()).isEqualTo("POST");
    assertThat(second.uri()).isEqualTo("/v2/orders");
    assertThat(second.body()).isEqualTo("{\"sku\":\"A-1\"}");
    assertThat(second.headers().get("content-type")).isEqualTo("application/json");
  }

  @Test
  void crossOriginRedirectIsRefusedAndNothingIsSentThere() {
    start(redirectConfig(", followRedirects: true"));
    a.on("/items", redirect(302, b.url() + "/items/1"));
    b.on("/items", FakeUpstream.json("{}"));
    HttpResponse<String> r = gw.get("/items/1");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).get("detail").asText())
        .contains("upstream 'a' redirected to another origin")
        .doesNotContain(b.url());
    assertThat(b.received()).isEmpty();
  }

  @Test
  void redirectsBeyondMaxHopsAndLoopsAre502sNamingTheUpstream() {
    start(redirectConfig(", followRedirects: { maxHops: 2 }"));
    a.on("/items/1", redirect(302, "/items/2"));
    a.on("/items/2", redirect(302, "/items/3"));
    a.on("/items/3", redirect(302, "/items/4"));
    a.on("/items/4", FakeUpstream.json("{}"));
    a.on("/items/8", redirect(307, "/items/9"));
    a.on("/items/9", redirect(307, "/items/8"));
    HttpResponse<String> far = gw.get("/items/1");
    assertThat(far.statusCode()).isEqualTo(502);
    assertThat(json(far).get("detail").asText())
        .contains("upstream 'a' redirected more than 2 times");
    assertThat(a.received())
        .extracting(FakeUpstream.Received::uri)
        .containsExactly("/items/1", "/items/2", "/items/3");
    HttpResponse<String> loop = gw.get("/items/8");
    assertThat(loop.statusCode()).isEqualTo(502);
    assertThat(json(loop).get("detail").asText()).contains("upstream 'a' redirected in a loop");
    assertThat(a.count("/items/8") + a.count("/items/9")).isEqualTo(2);
  }
}
