package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.Eventually;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.LoadClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The response cache end to end: single fills, keys, invalidation and stale windows. */
class ResponseCacheTest extends CacheTestSupport {
  private static final String PAGE =
      """
      GET /p/{id}:
        cache: { ttl: 60s, tags: ["product:{id}", "brand:{product.brandId}"] }
        steps:
          product: { upstream: a, path: "/products/{id}" }
          price: { upstream: b, path: "/prices/{id}" }
          reviews: { upstream: c, path: "/reviews/{id}", optional: null }
        response: { id: product.id, brand: product.brandId, price: price.amount, reviews: reviews }
      """;

  private void pageUpstreams() {
    a.on(
        "/products/",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .end(
                    "{\"id\":\""
                        + req.path().substring("/products/".length())
                        + "\",\"brandId\":\"b7\"}"));
    b.on("/prices/", FakeUpstream.json("{\"amount\":12.5}"));
    c.on("/reviews/", FakeUpstream.json("{\"count\":3}"));
  }

  @Test
  void thousandConcurrentIdenticalRequestsOnAColdCacheCallEachUpstreamOnce() {
    routes(PAGE);
    pageUpstreams();
    // One page first, so the burst below meets warm code rather than first-use class loading.
    assertThat(get("/web/p/1").statusCode()).isEqualTo(200);
    a.awaitRequests(1);
    a.on("/products/", a.stall());
    try (LoadClient load = new LoadClient(gw.gateway.port())) {
      var pending = load.sendAll("/web/p/42", 1000, Map.of());
      a.awaitRequests(1);
      // Every other request is at the gateway, waiting on the one fill, before the upstream
      // answers.
      Eventually.await(
          vertx,
          "999 requests joined the fill",
          () -> stats().responseJoined() == 999,
          () -> stats().toString());
      a.releaseStalled("{\"id\":\"42\",\"brandId\":\"b7\"}");
      List<LoadClient.Answer> answers = LoadClient.await(pending);
      assertThat(answers).hasSize(1000).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
      assertThat(answers).extracting(LoadClient.Answer::body).containsOnly(answers.get(0).body());
      assertThat(json(answers.get(0).body()).toString())
          .isEqualTo("{\"id\":\"42\",\"brand\":\"b7\",\"price\":12.5,\"reviews\":{\"count\":3}}");
    }
    assertThat(a.count("/products/42")).isEqualTo(1);
    assertThat(b.count("/prices/42")).isEqualTo(1);
    assertThat(c.count("/reviews/42")).isEqualTo(1);
    assertThat(stats().responseMisses()).isEqualTo(2);
    // And the next one is a plain hit.
    assertThat(xCache(get("/web/p/42"))).isEqualTo("HIT");
    assertThat(a.count("/products/42")).isEqualTo(1);
  }

  @Test
  void twoUsersOnAnAuthenticatedRouteNeverSeeEachOthersCachedBody() {
    routes(
        """
        GET /me/{id}:
          cache: { ttl: 60s }
          steps:
            profile: { upstream: a, path: "/profile/{claims.sub}/{id}" }
        GET /plain/{id}:
          cache: { ttl: 60s }
          steps:
            item: { upstream: a, path: "/items/{id}" }
        """);
    a.on("/", FakeUpstream.echo());
    HttpResponse<String> alice = get("/web/me/1", "x-test-sub", "alice");
    HttpResponse<String> bob = get("/web/me/1", "x-test-sub", "bob");
    assertThat(xCache(alice)).isEqualTo("MISS");
    assertThat(xCache(bob)).as("bob never gets alice's entry").isEqualTo("MISS");
    assertThat(alice.body()).contains("/profile/alice/1").doesNotContain("bob");
    assertThat(bob.body()).contains("/profile/bob/1").doesNotContain("alice");
    HttpResponse<String> aliceAgain = get("/web/me/1", "x-test-sub", "alice");
    HttpResponse<String> bobAgain = get("/web/me/1", "x-test-sub", "bob");
    assertThat(xCache(aliceAgain)).isEqualTo("HIT");
    assertThat(aliceAgain.body()).isEqualTo(alice.body());
    assertThat(xCache(bobAgain)).isEqualTo("HIT");
    assertThat(bobAgain.body()).isEqualTo(bob.body());
    HttpResponse<String> anonymous = get("/web/me/1");
    assertThat(xCache(anonymous)).as("anonymous is a user of its own").isEqualTo("MISS");

    // Even where the body does not depend on the user, an unshared entry is per user.
    assertThat(xCache(get("/web/plain/5", "x-test-sub", "alice"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/plain/5", "x-test-sub", "bob"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/plain/5", "x-test-sub", "bob"))).isEqualTo("HIT");
  }

  @Test
  void sharedRouteVariesOnlyOnTheNamedClaims() {
    routes(
        """
        GET /catalog/{id}:
          cache: { ttl: 60s, shared: true, varyClaims: [tenant] }
          steps:
            item: { upstream: a, path: "/catalog/{claims.tenant}/{id}" }
        """);
    a.on("/", FakeUpstream.echo());
    HttpResponse<String> alice =
        get("/web/catalog/1", "x-test-sub", "alice", "x-test-tenant", "t1");
    HttpResponse<String> bob = get("/web/catalog/1", "x-test-sub", "bob", "x-test-tenant", "t1");
    HttpResponse<String> carol =
        get("/web/catalog/1", "x-test-sub", "carol", "x-test-tenant", "t2");
    assertThat(xCache(alice)).isEqualTo("MISS");
    assertThat(xCache(bob)).as("same tenant shares").isEqualTo("HIT");
    assertThat(bob.body()).isEqualTo(alice.body()).contains("/catalog/t1/1");
    assertThat(xCache(carol)).as("another tenant does not").isEqualTo("MISS");
    assertThat(carol.body()).contains("/catalog/t2/1");
  }

  @Test
  void forgedUnkeyedHeaderNeverChangesACachedBody() {
    routes(
        """
        GET /t/{id}:
          headers: [x-tenant]
          query: { page: {} }
          cache: { ttl: 60s }
          steps:
            item: { upstream: a, path: "/items/{headers.x-tenant}/{id}", query: { page: "{query.page}" } }
        """);
    a.on("/", FakeUpstream.echo());
    HttpResponse<String> forged =
        get(
            "/web/t/1?page=2&utm=evil",
            "x-tenant",
            "t1",
            "x-forwarded-host",
            "evil.example",
            "x-original-url",
            "/admin",
            "x-http-method-override",
            "DELETE",
            "x-forwarded-proto",
            "gopher");
    assertThat(xCache(forged)).isEqualTo("MISS");
    assertThat(forged.body())
        .contains("/items/t1/1?page=2")
        .doesNotContain("evil")
        .doesNotContain("admin")
        .doesNotContain("DELETE")
        .doesNotContain("gopher");
    HttpResponse<String> plain = get("/web/t/1?page=2", "x-tenant", "t1");
    assertThat(xCache(plain)).isEqualTo("HIT");
    assertThat(plain.body()).isEqualTo(forged.body());
    // What is keyed does split the cache: another tenant, another page.
    HttpResponse<String> other = get("/web/t/1?page=2", "x-tenant", "t2");
    assertThat(xCache(other)).isEqualTo("MISS");
    assertThat(other.body()).contains("/items/t2/1?page=2");
    assertThat(xCache(get("/web/t/1?page=3", "x-tenant", "t1"))).isEqualTo("MISS");
  }

  @Test
  void invalidatingTagProduct42MakesTheNextRequestAMissWhileProduct43StaysAHit() {
    routes(PAGE);
    pageUpstreams();
    assertThat(xCache(get("/web/p/42"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/p/43"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/p/42"))).isEqualTo("HIT");
    assertThat(xCache(get("/web/p/43"))).isEqualTo("HIT");

    HttpResponse<String> denied =
        gw.request(
            HttpRequest.newBuilder(java.net.URI.create(adminBase() + "/cache/invalidate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[\"product:43\"]}")));
    assertThat(denied.statusCode()).as("the admin token is required").isEqualTo(401);
    HttpResponse<String> done = invalidate("{\"tags\":[\"product:42\"]}");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(json(done.body()).toString())
        .isEqualTo("{\"invalidated\":{\"tags\":[\"product:42\"],\"keys\":[]}}");

    assertThat(xCache(get("/web/p/42"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/p/43"))).isEqualTo("HIT");
    assertThat(a.count("/products/42")).isEqualTo(2);
    assertThat(a.count("/products/43")).isEqualTo(1);

    // A tag rendered from a step result drops every page of that brand; a key drops one path.
    assertThat(invalidate("{\"tags\":[\"brand:b7\"]}").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/web/p/42"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/p/43"))).isEqualTo("MISS");
    assertThat(invalidate("{\"keys\":[\"GET /web/p/43\"]}").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/web/p/42"))).isEqualTo("HIT");
    assertThat(xCache(get("/web/p/43"))).isEqualTo("MISS");
  }

  @Test
  void invalidationRequestsThatAreNotUnderstoodAreRefused() {
    routes(PAGE);
    for (String bad :
        List.of(
            "{}",
            "[\"product:42\"]",
            "{\"tags\":\"product:42\"}",
            "{\"tags\":[]}",
            "{\"tags\":[1]}",
            "{\"tags\":[\"a\"],\"extra\":1}",
            "not json")) {
      HttpResponse<String> r = invalidate(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    }
  }

  @Test
  void staleIfErrorServesAStaleAnswerMarkedDegradedOnlyWithinItsWindow() {
    routes(
        """
        GET /p/{id}:
          cache: { ttl: 10s, staleIfError: 60s }
          steps:
            product: { upstream: a, path: "/products/{id}" }
          response: { id: product.id, name: product.name }
        """);
    a.on("/products/", FakeUpstream.json("{\"id\":\"42\",\"name\":\"Shoe\"}"));
    assertThat(xCache(get("/web/p/42"))).isEqualTo("MISS");
    a.close(); // the upstream is down from now on

    clock.advance(Duration.ofSeconds(5));
    assertThat(xCache(get("/web/p/42"))).as("still fresh").isEqualTo("HIT");

    clock.advance(Duration.ofSeconds(25)); // 30s after the fill: stale, within staleIfError
    HttpResponse<String> stale = get("/web/p/42");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(xCache(stale)).isEqualTo("STALE");
    assertThat(stale.headers().firstValue("x-medley-partial")).hasValue("stale");
    assertThat(json(stale.body()).toString())
        .isEqualTo("{\"id\":\"42\",\"name\":\"Shoe\",\"_partial\":true}");

    clock.advance(Duration.ofSeconds(41)); // 71s after the fill: past ttl + staleIfError
    HttpResponse<String> gone = get("/web/p/42");
    assertThat(gone.statusCode()).isEqualTo(502);
    assertThat(xCache(gone)).isEqualTo("MISS");
  }

  @Test
  void staleWhileRevalidateAnswersAtOnceAndRefreshesOnceInTheBackground() {
    routes(
        """
        GET /p/{id}:
          cache: { ttl: 10s, staleWhileRevalidate: 30s }
          steps:
            product: { upstream: a, path: "/products/{id}" }
          response: { name: product.name }
        """);
    a.on("/products/", FakeUpstream.json("{\"name\":\"v1\"}"));
    assertThat(get("/web/p/1").body()).isEqualTo("{\"name\":\"v1\"}");
    a.awaitRequests(1);
    a.on("/products/", a.stall());
    clock.advance(Duration.ofSeconds(15));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get("/web/p/1");
      assertThat(xCache(r)).isEqualTo("STALE");
      assertThat(r.body()).as("served at once, not partial").isEqualTo("{\"name\":\"v1\"}");
    }
    a.awaitRequests(1);
    assertThat(a.count("/products/")).as("one background refresh").isEqualTo(2);
    a.on("/products/", FakeUpstream.json("{\"name\":\"v2\"}"));
    a.releaseStalled("{\"name\":\"v2\"}");
    // The refresh is stored when its answer arrives; until then requests keep getting the stale
    // one.
    HttpResponse<String> r = get("/web/p/1");
    for (int i = 0; i < 500 && !"HIT".equals(xCache(r)); i++) {
      assertThat(xCache(r)).isEqualTo("STALE");
      r = get("/web/p/1");
    }
    assertThat(xCache(r)).isEqualTo("HIT");
    assertThat(r.body()).isEqualTo("{\"name\":\"v2\"}");
    assertThat(a.count("/products/")).isEqualTo(2);
  }

  @Test
  void partialAnswersAreServedButNotStored() {
    routes(PAGE);
    pageUpstreams();
    c.on("/reviews/", FakeUpstream.json(503, "{}"));
    HttpResponse<String> partial = get("/web/p/1");
    assertThat(partial.headers().firstValue("x-medley-partial")).hasValue("reviews");
    assertThat(xCache(get("/web/p/1"))).isEqualTo("MISS");
    c.on("/reviews/", FakeUpstream.json("{\"count\":3}"));
    assertThat(xCache(get("/web/p/1"))).isEqualTo("MISS");
    assertThat(xCache(get("/web/p/1"))).isEqualTo("HIT");
  }

  @Test
  void headSharesTheEntriesOfGet() {
    routes(PAGE);
    pageUpstreams();
    assertThat(xCache(get("/web/p/1"))).isEqualTo("MISS");
    HttpResponse<String> head =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(xCache(head)).isEqualTo("HIT");
    assertThat(head.body()).isEmpty();
    assertThat(a.count("/products/1")).isEqualTo(1);
  }

  @Test
  void failuresAreNeverStored() {
    routes(PAGE);
    pageUpstreams();
    a.on("/products/", FakeUpstream.json(500, "{}"));
    assertThat(get("/web/p/1").statusCode()).isEqualTo(502);
    pageUpstreams();
    HttpResponse<String> ok = get("/web/p/1");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(xCache(ok)).isEqualTo("MISS");
  }
}
