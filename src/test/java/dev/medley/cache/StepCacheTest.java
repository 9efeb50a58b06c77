package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The step cache: shared across routes, tagged from results, honouring upstream Cache-Control. */
class StepCacheTest extends CacheTestSupport {
  private static FakeUpstream.Behaviour withHeader(String name, String value, String body) {
    return (req, in) ->
        req.response()
            .putHeader("content-type", "application/json")
            .putHeader(name, value)
            .end(body);
  }

  @Test
  void aStepCachedForOneRouteServesAnotherRouteMakingTheSameCall() {
    routes(
        """
        GET /page/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 60s } }
          response: { name: product.name }
        GET /app/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 60s } }
          response: { title: product.name }
        """);
    a.on("/products/", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    assertThat(get("/web/page/1").body()).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(get("/web/app/1").body()).isEqualTo("{\"title\":\"Shoe\"}");
    assertThat(get("/web/app/2").body()).isEqualTo("{\"title\":\"Shoe\"}");
    assertThat(a.count("/products/1")).isEqualTo(1);
    assertThat(a.count("/products/2")).isEqualTo(1);
    assertThat(stats().stepHits()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(61));
    get("/web/page/1");
    assertThat(a.count("/products/1")).as("expired after ttl").isEqualTo(2);
  }

  @Test
  void stepTagsRenderedFromTheResultInvalidateIt() {
    routes(
        """
        GET /page/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 60s, tags: ["brand:{result.brandId}", "product:{id}"] } }
          response: { name: product.name }
        """);
    a.on("/products/", FakeUpstream.json("{\"name\":\"Shoe\",\"brandId\":\"b9\"}"));
    get("/web/page/1");
    get("/web/page/1");
    assertThat(a.count("/products/1")).isEqualTo(1);
    assertThat(invalidate("{\"tags\":[\"brand:b9\"]}").statusCode()).isEqualTo(200);
    get("/web/page/1");
    assertThat(a.count("/products/1")).isEqualTo(2);
    assertThat(invalidate("{\"keys\":[\"a GET /products/1\"]}").statusCode()).isEqualTo(200);
    get("/web/page/1");
    assertThat(a.count("/products/1")).isEqualTo(3);
  }

  @Test
  void upstreamCacheControlIsHonouredWhenTheStepSaysSo() {
    routes(
        """
        GET /nostore/{id}:
          steps:
            x: { upstream: a, path: "/nostore/{id}", cache: { ttl: 60s, upstreamCacheControl: honour } }
        GET /short/{id}:
          steps:
            x: { upstream: a, path: "/short/{id}", cache: { ttl: 60s, upstreamCacheControl: honour } }
        GET /private/{id}:
          steps:
            x: { upstream: a, path: "/private/{id}", cache: { ttl: 60s, upstreamCacheControl: honour } }
        GET /ignored/{id}:
          steps:
            x: { upstream: a, path: "/ignored/{id}", cache: { ttl: 60s } }
        """);
    a.on("/nostore/", withHeader("cache-control", "no-store", "{}"));
    a.on("/short/", withHeader("cache-control", "public, max-age=5", "{}"));
    a.on("/private/", withHeader("cache-control", "private, max-age=30", "{}"));
    a.on("/ignored/", withHeader("cache-control", "no-store", "{}"));
    for (int i = 0; i < 2; i++) {
      get("/web/nostore/1");
      get("/web/short/1");
      get("/web/private/1");
      get("/web/ignored/1");
    }
    assertThat(a.count("/nostore/")).as("no-store").isEqualTo(2);
    assertThat(a.count("/short/")).as("max-age=5 within 5s").isEqualTo(1);
    assertThat(a.count("/private/")).as("private, anonymous: shared key, not stored").isEqualTo(2);
    assertThat(a.count("/ignored/")).as("not honoured unless asked").isEqualTo(1);
    clock.advance(Duration.ofSeconds(6));
    get("/web/short/1");
    assertThat(a.count("/short/")).as("max-age shortened the 60s ttl").isEqualTo(2);
    // private is stored under one user's key.
    get("/web/private/2", "x-test-sub", "alice");
    get("/web/private/2", "x-test-sub", "alice");
    get("/web/private/2", "x-test-sub", "bob");
    assertThat(a.count("/private/2")).isEqualTo(2);
  }

  @Test
  void anUpstreamAnswerWithSetCookieIsNeverCached() {
    routes(
        """
        GET /page/{id}:
          steps:
            x: { upstream: a, path: "/session/{id}", cache: { ttl: 60s } }
        """);
    a.on("/session/", withHeader("set-cookie", "sid=abc; HttpOnly", "{\"user\":\"alice\"}"));
    get("/web/page/1");
    get("/web/page/1");
    assertThat(a.count("/session/1")).isEqualTo(2);
    assertThat(stats().stepHits()).isZero();
  }

  @Test
  void staleIfErrorOnACriticalStepServesTheStaleValueAndDegradesTheStep() {
    routes(
        """
        GET /page/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 10s, staleIfError: 60s } }
            price: { upstream: b, path: "/prices/{id}" }
          response: { name: product.name, price: price.amount }
        """);
    a.on("/products/", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    b.on("/prices/", FakeUpstream.json("{\"amount\":3}"));
    assertThat(get("/web/page/1").body()).isEqualTo("{\"name\":\"Shoe\",\"price\":3}");
    a.on("/products/", FakeUpstream.json(503, "{}"));
    clock.advance(Duration.ofSeconds(20));
    HttpResponse<String> stale = get("/web/page/1");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("{\"name\":\"Shoe\",\"price\":3,\"_partial\":true}");
    assertThat(stale.headers().firstValue("x-medley-partial")).hasValue("product");
    clock.advance(Duration.ofSeconds(51));
    assertThat(get("/web/page/1").statusCode())
        .as("past the window the failure shows")
        .isEqualTo(502);
  }

  @Test
  void perItemCallsAreCachedOneByOne() {
    routes(
        """
        GET /list/{id}:
          steps:
            list: { upstream: a, path: "/lists/{id}" }
            entries: { upstream: b, forEach: list.ids, path: "/items/{item}", cache: { ttl: 60s } }
          response: { items: entries }
        """);
    a.on("/lists/1", FakeUpstream.json("{\"ids\":[\"x\",\"y\"]}"));
    a.on("/lists/2", FakeUpstream.json("{\"ids\":[\"y\",\"z\"]}"));
    b.on(
        "/items/",
        (req, in) ->
            req.response()
                .putHeader("content-type", "application/json")
                .end("{\"id\":\"" + req.path().substring(7) + "\"}"));
    assertThat(get("/web/list/1").body()).isEqualTo("{\"items\":[{\"id\":\"x\"},{\"id\":\"y\"}]}");
    assertThat(get("/web/list/2").body()).isEqualTo("{\"items\":[{\"id\":\"y\"},{\"id\":\"z\"}]}");
    assertThat(b.count("/items/y")).isEqualTo(1);
    assertThat(b.received()).hasSize(3);
  }
}
