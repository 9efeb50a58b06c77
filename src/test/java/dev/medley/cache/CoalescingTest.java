package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.Eventually;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Identical upstream calls in flight at once share one call; failures are shared, not kept. */
class CoalescingTest extends CacheTestSupport {
  private static final String ROUTES =
      """
      GET /page/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
        response: { name: product.name }
      GET /app/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
        response: { title: product.name }
      """;

  @Test
  void identicalCallsFromDifferentRoutesInFlightTogetherShareOneCall() {
    routes(ROUTES);
    a.on("/products/", a.stall());
    CompletableFuture<HttpResponse<String>> page = gw.getAsync("/web/page/7");
    a.awaitRequests(1);
    CompletableFuture<HttpResponse<String>> app = gw.getAsync("/web/app/7");
    Eventually.await(
        vertx, "the second call joined the first", () -> stats().coalescedCalls() == 1);
    a.releaseStalled("{\"name\":\"Shoe\"}");
    assertThat(gw.await(page).body()).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(gw.await(app).body()).isEqualTo("{\"title\":\"Shoe\"}");
    assertThat(a.count("/products/7")).isEqualTo(1);
  }

  @Test
  void aSharedFailureReachesEveryCallerAndIsNotKept() {
    routes(ROUTES);
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    a.on("/products/", (req, body) -> held.add(req));
    CompletableFuture<HttpResponse<String>> first = gw.getAsync("/web/page/7");
    a.awaitRequests(1);
    CompletableFuture<HttpResponse<String>> second = gw.getAsync("/web/app/7");
    Eventually.await(
        vertx, "the second call joined the first", () -> stats().coalescedCalls() == 1);
    held.forEach(r -> r.response().setStatusCode(500).end()); // 500: not retried by default
    assertThat(gw.await(first).statusCode()).isEqualTo(502);
    assertThat(gw.await(second).statusCode()).isEqualTo(502);
    a.on(
        "/products/",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .end("{\"name\":\"Shoe\"}"));
    assertThat(get("/web/page/7").statusCode()).as("the failure was not remembered").isEqualTo(200);
    assertThat(a.count("/products/7")).isEqualTo(2);
  }

  @Test
  void aSharedCallsCookiesGoOnlyToTheRequestThatSentIt() {
    routes(
        """
        GET /page/{id}:
          responseHeaders: { allow: [Set-Cookie, X-RateLimit-*] }
          steps:
            product: { upstream: a, path: "/products/{id}" }
          response: { name: product.name }
        """);
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    a.on("/products/", (req, body) -> held.add(req));
    CompletableFuture<HttpResponse<String>> sender = gw.getAsync("/web/page/7");
    a.awaitRequests(1);
    CompletableFuture<HttpResponse<String>> joiner = gw.getAsync("/web/page/7");
    Eventually.await(
        vertx, "the second call joined the first", () -> stats().coalescedCalls() == 1);
    held.forEach(
        r ->
            r.response()
                .putHeader("content-type", "application/json")
                .putHeader("set-cookie", "session=for-the-sender")
                .putHeader("x-ratelimit-remaining", "5")
                .end("{\"name\":\"Shoe\"}"));
    HttpResponse<String> first = gw.await(sender);
    HttpResponse<String> second = gw.await(joiner);
    assertThat(first.headers().allValues("set-cookie")).containsExactly("session=for-the-sender");
    assertThat(second.body()).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(second.headers().allValues("set-cookie")).isEmpty();
    assertThat(second.headers().firstValue("x-ratelimit-remaining")).hasValue("5");
    assertThat(a.count("/products/7")).isEqualTo(1);
  }

  @Test
  void callsThatDifferInAnyForwardedHeaderAreNotShared() {
    routes(
        """
        GET /t/{id}:
          headers: [x-tenant]
          steps:
            product: { upstream: a, path: "/products/{id}", headers: { x-tenant: "{headers.x-tenant}" } }
        """);
    a.on("/products/", a.stall());
    CompletableFuture<HttpResponse<String>> t1 =
        gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/web/t/7")).header("x-tenant", "t1"));
    CompletableFuture<HttpResponse<String>> t2 =
        gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/web/t/7")).header("x-tenant", "t2"));
    a.awaitRequests(2);
    a.releaseStalled("{}");
    gw.await(t1);
    gw.await(t2);
    assertThat(a.received())
        .extracting(r -> r.headers().get("x-tenant"))
        .containsExactlyInAnyOrder("t1", "t2");
    assertThat(stats().coalescedCalls()).isZero();
  }

  @Test
  void callsThatMayChangeSomethingAreNeverShared() {
    routes(
        """
        POST /orders/{id}:
          steps:
            order: { upstream: a, method: POST, path: "/orders/{id}", body: { id: "{id}" } }
        """);
    a.on("/orders/", a.stall());
    var post = java.net.http.HttpRequest.BodyPublishers.noBody();
    CompletableFuture<HttpResponse<String>> one =
        gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/web/orders/1")).POST(post));
    CompletableFuture<HttpResponse<String>> two =
        gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/web/orders/1")).POST(post));
    a.awaitRequests(2);
    a.releaseStalled("{}");
    assertThat(gw.await(one).statusCode()).isEqualTo(200);
    assertThat(gw.await(two).statusCode()).isEqualTo(200);
    assertThat(a.count("/orders/1")).isEqualTo(2);
  }
}
