package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Query parameters and batch keys over real sockets: the fake upstreams assert the exact raw query
 * string they received (repeated parameters, keys sent once, empty values left out) and the
 * gateway's answer pairs every item with its own result.
 */
class QueryBatchTest extends GatewayTest {
  private static final String UPSTREAMS =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
        c: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
      """;

  private void routes(String routes) {
    start(UPSTREAMS + routes.indent(8));
  }

  @Test
  void aRepeatedClientParameterReachesExpressionsAsAListAndTheUpstreamRepeated() {
    routes(
        """
        GET /search:
          query:
            b: { type: integer, repeated: true, maxItems: 3 }
            q: {}
            sort: {}
          steps:
            hits:
              upstream: a
              path: /search
              query: { b: "{query.b}", q: "{query.q}", sort: "{query.sort}" }
              skipEmptyQuery: true
          response: { doubled: "query.b.map(x, x * 2)", hits: hits.n }
        """);
    a.on("/search", FakeUpstream.json("{\"n\":2}"));

    HttpResponse<String> r = gw.get("/web/search?b=2&q=&b=3&ignored=1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"doubled\":[4,6],\"hits\":2}");
    assertThat(a.received().get(0).uri())
        .as("both values, in order; the empty q and the undeclared parameters are not sent")
        .isEqualTo("/search?b=2&b=3");

    HttpResponse<String> none = gw.get("/web/search");
    assertThat(none.body()).isEqualTo("{\"doubled\":[],\"hits\":2}");
    assertThat(a.received().get(1).uri()).isEqualTo("/search");

    assertThat(gw.get("/web/search?b=2&b=x").statusCode()).isEqualTo(400);
    assertThat(gw.get("/web/search?b=1&b=2&b=3&b=4").body()).contains("has more than 3 values");
    assertThat(a.received()).as("a refused request calls nothing").hasSize(2);
  }

  @Test
  void theResponseCacheKeysOnEveryValueOfARepeatedParameter() {
    routes(
        """
        GET /tags:
          query:
            t: { repeated: true }
          cache: { ttl: 1m }
          steps:
            hits: { upstream: a, path: /hits, query: { t: "{query.t}" } }
        """);
    a.on("/hits", FakeUpstream.json("{}"));
    gw.get("/web/tags?t=x&t=y");
    gw.get("/web/tags?t=x&t=z");
    gw.get("/web/tags?t=x&t=y");
    assertThat(a.received())
        .extracting(FakeUpstream.Received::uri)
        .as("the second value is part of the key; the third request is a hit")
        .containsExactly("/hits?t=x&t=y", "/hits?t=x&t=z");
  }

  @Test
  void aGetBatchKeyedByQuerySendsEachKeyOnceAndMatchesResultsByCoercedKey() {
    routes(
        """
        GET /orders/{id}:
          steps:
            order: { upstream: a, path: "/orders/{id}" }
            lines:
              upstream: b
              forEach: order.lines
              as: line
              path: /users/{line.userId}
              batch:
                method: GET
                path: /users
                query: { id: "{items}" }
                key: line.userId
                resultsAt: data.users
                matchOn: id
                missing: { name: "(unknown)" }
              merge: user
          response: { lines: lines }
        """);
    a.on(
        "/orders",
        FakeUpstream.json(
            "{\"lines\":[{\"userId\":1,\"n\":\"a\"},{\"userId\":\"1\",\"n\":\"b\"},"
                + "{\"userId\":2,\"n\":\"c\"},{\"userId\":3,\"n\":\"d\"}]}"));
    b.on(
        "/users",
        FakeUpstream.json(
            "{\"data\":{\"users\":[{\"id\":\"2\",\"name\":\"Bo\"},{\"id\":1,\"name\":\"Al\"}]}}"));

    HttpResponse<String> r = gw.get("/web/orders/9");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(b.received()).hasSize(1);
    assertThat(b.received().get(0).method()).isEqualTo("GET");
    assertThat(b.received().get(0).uri())
        .as("1 and \"1\" are one key, sent once")
        .isEqualTo("/users?id=1&id=2&id=3");
    assertThat(r.body())
        .isEqualTo(
            "{\"lines\":["
                + "{\"userId\":1,\"n\":\"a\",\"user\":{\"id\":1,\"name\":\"Al\"}},"
                + "{\"userId\":\"1\",\"n\":\"b\",\"user\":{\"id\":1,\"name\":\"Al\"}},"
                + "{\"userId\":2,\"n\":\"c\",\"user\":{\"id\":\"2\",\"name\":\"Bo\"}},"
                + "{\"userId\":3,\"n\":\"d\",\"user\":{\"name\":\"(unknown)\"}}]}");
  }

  @Test
  void aListInAStepsQueryTemplateIsRepeatedAndEachPerItemResultIsMergedIntoItsItem() {
    routes(
        """
        GET /cart:
          steps:
            cart: { upstream: a, path: /cart }
            prices:
              upstream: b
              path: /prices
              query: { sku: "{cart.skus}" }
            stock:
              upstream: c
              forEach: cart.items
              path: /stock/{item.sku}
              select: "{'left': result.left, 'position': index}"
              merge: true
          response: { prices: prices, items: stock }
        """);
    a.on(
        "/cart",
        FakeUpstream.json(
            "{\"skus\":[\"x 1\",\"y\"],\"items\":[{\"sku\":\"x\"},{\"sku\":\"x\"}]}"));
    b.on("/prices", FakeUpstream.json("[]"));
    c.on("/stock", FakeUpstream.json("{\"left\":4}"));

    HttpResponse<String> r = gw.get("/web/cart");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(b.received().get(0).uri())
        .as("one parameter per element, each encoded; not one JSON value")
        .isEqualTo("/prices?sku=x%201&sku=y");
    // Identical concurrent GETs may share one upstream call (coalescing); each item still gets
    // its own copy of the result, at its own position.
    assertThat(r.body())
        .isEqualTo(
            "{\"prices\":[],\"items\":[{\"sku\":\"x\",\"left\":4,\"position\":0},"
                + "{\"sku\":\"x\",\"left\":4,\"position\":1}]}");
  }
}
