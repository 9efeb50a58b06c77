package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Fan-out, inferred order, conditions, forEach, batching and templated calls, over real sockets.
 */
class CompositionTest extends GatewayTest {
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

  private static JsonNode json(HttpResponse<String> r) {
    return parse(r.body());
  }

  private static JsonNode parse(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  @Test
  void independentStepsRunInParallel() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                price: { upstream: b, path: "/prices/{id}" }
              response: { name: product.name, amount: price.amount }
        """);
    a.on("/products", a.stall());
    b.on("/prices", b.stall());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/p/7");
    // Both calls arrive while neither has been answered: they were sent at once.
    a.awaitRequests(1);
    b.awaitRequests(1);
    assertThat(pending).isNotDone();
    a.releaseStalled("{\"name\":\"Shoe\"}");
    b.releaseStalled("{\"amount\":12.5}");
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString()).isEqualTo("{\"name\":\"Shoe\",\"amount\":12.5}");
    assertThat(a.received().get(0).uri()).isEqualTo("/products/7");
  }

  @Test
  void stepThatReferencesAnotherWaitsForItsResult() {
    routes(
        """
            GET /p/{id}:
              steps:
                brand: { upstream: b, path: "/brands/{product.brandId}" }
                product: { upstream: a, path: "/products/{id}" }
              response: { product: product.name, brand: brand.name }
        """);
    a.on("/products", a.stall());
    b.on("/brands", FakeUpstream.json("{\"name\":\"Greyfell\"}"));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/p/1");
    a.awaitRequests(1);
    assertThat(b.received()).as("brand must wait for product").isEmpty();
    a.releaseStalled("{\"name\":\"Shoe\",\"brandId\":\"77\"}");
    HttpResponse<String> r = gw.await(pending);
    assertThat(json(r).toString()).isEqualTo("{\"product\":\"Shoe\",\"brand\":\"Greyfell\"}");
    assertThat(b.received())
        .singleElement()
        .extracting(FakeUpstream.Received::uri)
        .isEqualTo("/brands/77");
  }

  @Test
  void whenFalseSkipsTheCallAndIsNotPartial() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                stock: { upstream: c, path: "/stock/{id}", when: product.sellable, optional: { available: false } }
              response: { sellable: product.sellable, stock: stock }
        """);
    a.on("/products/1", FakeUpstream.json("{\"sellable\":false}"));
    a.on("/products/2", FakeUpstream.json("{\"sellable\":true}"));
    c.on("/stock", FakeUpstream.json("{\"available\":true}"));
    HttpResponse<String> skipped = gw.get("/web/p/1");
    assertThat(json(skipped).toString()).isEqualTo("{\"sellable\":false,\"stock\":null}");
    assertThat(skipped.headers().firstValue("x-medley-partial")).isEmpty();
    assertThat(c.received()).isEmpty();
    HttpResponse<String> asked = gw.get("/web/p/2");
    assertThat(json(asked).get("stock").toString()).isEqualTo("{\"available\":true}");
    assertThat(c.count("/stock/2")).isEqualTo(1);
  }

  @Test
  void forEachKeepsAtMostConcurrencyCallsInFlightAndKeepsOrder() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                related: { upstream: c, forEach: product.relatedIds, path: "/items/{item}", concurrency: 2 }
              response: { related: related }
        """);
    a.on("/products", FakeUpstream.json("{\"relatedIds\":[\"5\",\"4\",\"3\",\"2\",\"1\"]}"));
    c.on("/items/", c.stall());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/p/9");
    // Every call stalls, so the count only grows when the test answers: exactly 2 at a time.
    c.awaitRequests(2);
    assertThat(c.received()).hasSize(2);
    c.releaseStalledEcho();
    c.awaitRequests(2);
    assertThat(c.received()).hasSize(4);
    c.releaseStalledEcho();
    c.awaitRequests(1);
    c.releaseStalledEcho();
    HttpResponse<String> r = gw.await(pending);
    assertThat(json(r).get("related").findValuesAsText("uri"))
        .containsExactly("/items/5", "/items/4", "/items/3", "/items/2", "/items/1");
  }

  @Test
  void batchEndpointReplacesPerItemCallsAndMatchesResultsById() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                related:
                  upstream: c
                  forEach: product.relatedIds
                  path: "/items/{item}"
                  batch: { path: "/items:batchGet", body: { ids: "{items}" }, max: 3, resultsAt: items, matchOn: id }
              response: { related: related }
        """);
    a.on(
        "/products",
        FakeUpstream.json("{\"relatedIds\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]}"));
    // Answers in reverse order and leaves out id 6, to prove matching by id.
    c.on(
        "/items:batchGet",
        (req, body) -> {
          JsonNode ids = parse(body.toString()).get("ids");
          StringBuilder items = new StringBuilder();
          for (int i = ids.size() - 1; i >= 0; i--) {
            if (!ids.get(i).asText().equals("6")) {
              items
                  .append(items.isEmpty() ? "" : ",")
                  .append("{\"id\":\"")
                  .append(ids.get(i).asText())
                  .append("\",\"n\":")
                  .append(ids.get(i).asText())
                  .append('}');
            }
          }
          req.response()
              .putHeader("content-type", "application/json")
              .end("{\"items\":[" + items + "]}");
        });
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode related = json(r).get("related");
    assertThat(related.toString())
        .isEqualTo(
            "[{\"id\":\"1\",\"n\":1},{\"id\":\"2\",\"n\":2},{\"id\":\"3\",\"n\":3},{\"id\":\"4\",\"n\":4},{\"id\":\"5\",\"n\":5},null,{\"id\":\"7\",\"n\":7}]");
    assertThat(c.received()).extracting(FakeUpstream.Received::method).containsOnly("POST");
    assertThat(c.received())
        .extracting(FakeUpstream.Received::body)
        .containsExactlyInAnyOrder(
            "{\"ids\":[\"1\",\"2\",\"3\"]}", "{\"ids\":[\"4\",\"5\",\"6\"]}", "{\"ids\":[\"7\"]}");
    assertThat(c.count("/items/")).isZero();
  }

  @Test
  void postForwardsTemplatedBodyQueryAndAllowListedHeaders() {
    routes(
        """
            POST /orders:
              query: { channel: { pattern: "^[a-z]+$", default: web } }
              headers: [X-Tenant]
              steps:
                create:
                  upstream: a
                  method: POST
                  path: /orders
                  query: { channel: "{query.channel}", missing: "{body.nothing}" }
                  headers: { X-Tenant: "{headers.x-tenant}" }
                  body: { sku: "{body.sku}", quantity: "{body.qty}", note: "for {headers.x-tenant}" }
              response: create
        """);
    a.on("/orders", FakeUpstream.echo());
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/orders?channel=app&other=x"))
                .header("content-type", "application/json")
                .header("x-tenant", "acme")
                .header("x-secret", "never-forwarded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"A-1\",\"qty\":3}")));
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received got = a.received().get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).isEqualTo("/orders?channel=app");
    assertThat(got.body()).isEqualTo("{\"sku\":\"A-1\",\"quantity\":3,\"note\":\"for acme\"}");
    assertThat(got.headers().get("x-tenant")).isEqualTo("acme");
    assertThat(got.headers().get("content-type")).isEqualTo("application/json");
    assertThat(got.headers().contains("x-secret")).isFalse();
    // Defaults fill an absent declared query parameter.
    gw.request(
        HttpRequest.newBuilder(gw.uri("/web/orders"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"B\",\"qty\":1}")));
    assertThat(a.received().get(1).uri()).isEqualTo("/orders?channel=web");
  }

  @Test
  void putAndDeleteReachTheUpstreamWithTheirMethods() {
    routes(
        """
            PUT /carts/{id}:
              steps:
                save: { upstream: a, method: PUT, path: "/carts/{id}", body: { items: "{body.items}" } }
              response: save
            DELETE /carts/{id}:
              steps:
                drop: { upstream: a, method: DELETE, path: "/carts/{id}" }
              response: { deleted: "drop.method == 'DELETE'" }
        """);
    a.on("/carts", FakeUpstream.echo());
    HttpResponse<String> put =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/carts/9"))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"items\":[1,2]}")));
    assertThat(json(put).get("body").toString()).isEqualTo("{\"items\":[1,2]}");
    assertThat(json(put).get("method").asText()).isEqualTo("PUT");
    HttpResponse<String> del = gw.request(HttpRequest.newBuilder(gw.uri("/web/carts/9")).DELETE());
    assertThat(json(del).toString()).isEqualTo("{\"deleted\":true}");
  }

  @Test
  void shapingFormsOverRealUpstreamsAndANonListIsANamedPartialNotSilent() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                related: { upstream: b, path: "/related/{id}" }
              response:
                product: { $from: product, $except: [cost, "variants[*].supplier"], $rename: { title: name } }
                related: { $each: related.items, $pick: [id, price] }
                tags: { $each: product.tags, $pick: [id] }
        """);
    a.on(
        "/products/1",
        FakeUpstream.json(
            "{\"title\":\"Jacket\",\"cost\":40,\"tags\":\"outdoor\","
                + "\"variants\":[{\"sku\":\"s\",\"supplier\":\"x\"},{\"sku\":\"m\",\"supplier\":\"y\"}]}"));
    b.on(
        "/related/1",
        FakeUpstream.json(
            "{\"items\":[{\"id\":8,\"price\":25,\"stock\":3},{\"id\":9,\"price\":30}]}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo(
            "{\"product\":{\"name\":\"Jacket\",\"tags\":\"outdoor\",\"variants\":[{\"sku\":\"s\"},{\"sku\":\"m\"}]},"
                + "\"related\":[{\"id\":8,\"price\":25},{\"id\":9,\"price\":30}],"
                + "\"tags\":null,\"_partial\":true}");
    // A string where a list was expected is a failed field, named for the client, never silent.
    assertThat(r.headers().firstValue("X-Medley-Partial")).hasValue("response.tags");
  }

  @Test
  void responseShapeUsesExpressionsAbsentIsNullAndAFailedFieldIsNamed() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
              response:
                price: "product.salePrice != null ? product.salePrice : product.basePrice"
                thumb: product.images[0].thumbnail
                missing: product.nothing.deeper
                failing: "product.nothing + 1"
                count: "size(product.images)"
                label: "'Only ' + string(product.basePrice)"
                fixed: 3
        """);
    a.on(
        "/products/1",
        FakeUpstream.json(
            "{\"salePrice\":null,\"basePrice\":10,\"images\":[{\"thumbnail\":\"t.jpg\"}]}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(json(r).toString())
        .isEqualTo(
            "{\"price\":10,\"thumb\":\"t.jpg\",\"missing\":null,\"failing\":null,\"count\":1,\"label\":\"Only 10\",\"fixed\":3,"
                + "\"_partial\":true}");
    // An absent field is null (not a failure); arithmetic on it is a failure, named for the client.
    assertThat(r.headers().firstValue("X-Medley-Partial")).hasValue("response.failing");
  }

  @Test
  void aConditionGivingNullIsA502NamingTheStepAndTheConfigPlaceNotTheEvaluator() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                stock: { upstream: b, path: "/stock/{id}", when: "product.sellable" }
              response:
                total: "product.price * 2"
        """);
    a.on("/products/1", FakeUpstream.json("{\"price\":42.5}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.statusCode()).isEqualTo(502);
    String detail = json(r).get("detail").asText();
    assertThat(detail)
        .startsWith("step 'stock' failed: its when expression at ")
        .contains(".steps.stock.when) gave null, not true or false")
        .doesNotContain("overload")
        .doesNotContain("<input>");
  }

  @Test
  void decimalsAndIntegersMixAsInJson() {
    routes(
        """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
              response:
                total2: "product.total * 2"
                line: "product.qty * product.price"
                half: "product.reviews.average / 2"
                flag: "true"
        """);
    a.on(
        "/products/1",
        FakeUpstream.json(
            "{\"total\":42.5,\"qty\":31,\"price\":79.99,\"reviews\":{\"average\":4.5}}"));
    HttpResponse<String> r = gw.get("/web/p/1");
    assertThat(r.body())
        .isEqualTo("{\"total2\":85.0,\"line\":2479.69,\"half\":2.25,\"flag\":true}");
    assertThat(r.headers().firstValue("X-Medley-Partial")).isEmpty();
  }
}
