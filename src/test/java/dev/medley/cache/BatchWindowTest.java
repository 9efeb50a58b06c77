package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Cross-request batching: items of concurrent requests gathered into shared batch calls. */
class BatchWindowTest extends CacheTestSupport {
  private static final int POOL = 60;
  private static final int MAX = 20;
  private static final String PAGE =
      """
      GET /page/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
          related:
            upstream: c
            forEach: product.relatedIds
            path: "/items/{item}"
            batch: { method: POST, path: "/items:batchGet", body: { ids: "{items}" }, max: %d, resultsAt: items, matchOn: id, window: 50ms }
            optional: []
        response: { id: product.id, related: related }
      """
          .formatted(MAX);

  /** Product n's related items: four of a pool of 60, overlapping with other products'. */
  private static List<String> related(int n) {
    return List.of(
        "i" + n % POOL, "i" + (n + 13) % POOL, "i" + (n + 29) % POOL, "i" + (n + 41) % POOL);
  }

  private void upstreams() {
    a.on(
        "/products/",
        (req, body) -> {
          int n = Integer.parseInt(req.path().substring("/products/".length()));
          req.response()
              .putHeader("content-type", "application/json")
              .end(
                  new JsonObject()
                      .put("id", String.valueOf(n))
                      .put("relatedIds", new JsonArray(related(n)))
                      .encode());
        });
    c.on(
        "/items:batchGet",
        (req, body) -> {
          JsonArray ids = new JsonObject(body).getJsonArray("ids");
          JsonArray items = new JsonArray();
          for (int i = ids.size() - 1;
              i >= 0;
              i--) { // reversed: results are matched by id, not position
            items.add(
                new JsonObject()
                    .put("id", ids.getString(i))
                    .put("name", "item " + ids.getString(i)));
          }
          req.response()
              .putHeader("content-type", "application/json")
              .end(new JsonObject().put("items", items).encode());
        });
  }

  @Test
  void hundredConcurrentPagesWithOverlappingItemsNeedAtMostCeilDistinctOverMaxBatchCalls() {
    routes(PAGE);
    upstreams();
    Set<String> distinct = new HashSet<>();
    List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>();
    for (int n = 1; n <= 100; n++) {
      distinct.addAll(related(n));
      pages.add(gw.getAsync("/web/page/" + n));
    }
    for (int n = 1; n <= 100; n++) {
      HttpResponse<String> r = gw.await(pages.get(n - 1));
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode relatedItems = json(r.body()).get("related");
      List<String> names = new ArrayList<>();
      relatedItems.forEach(i -> names.add(i.get("name").asText()));
      assertThat(names)
          .as("page " + n + " gets its own items, in its order")
          .containsExactlyElementsOf(related(n).stream().map(id -> "item " + id).toList());
    }
    int bound = (distinct.size() + MAX - 1) / MAX;
    assertThat(distinct).hasSize(POOL);
    // The window (50ms on the manual clock) never closed: every call went when MAX items were
    // waiting.
    assertThat(c.count("/items:batchGet")).isLessThanOrEqualTo(bound).isEqualTo(3);
    assertThat(c.count("/items/")).isZero();
    assertThat(stats().batchCalls()).isEqualTo(3);
    assertThat(stats().batchItems()).isEqualTo(POOL);
  }

  @Test
  void itemsShortOfMaxGoWhenTheWindowClosesOnTheInjectedClock() {
    routes(PAGE);
    upstreams();
    CompletableFuture<HttpResponse<String>> page = gw.getAsync("/web/page/1");
    CompletableFuture<HttpResponse<String>> other = gw.getAsync("/web/page/2");
    Eventually.await(
        vertx, "both pages' items wait in the window", () -> stats().batchQueued() == 8);
    assertThat(c.received()).as("nothing is sent before the window closes").isEmpty();
    assertThat(page).isNotDone();
    clock.advance(Duration.ofMillis(50));
    assertThat(gw.await(page).statusCode()).isEqualTo(200);
    assertThat(gw.await(other).statusCode()).isEqualTo(200);
    assertThat(c.count("/items:batchGet")).isEqualTo(1);
    JsonObject sent = new JsonObject(c.received().get(0).body());
    assertThat(sent.getJsonArray("ids").getList())
        .containsExactlyInAnyOrderElementsOf(new HashSet<>(concat(related(1), related(2))));
  }

  @Test
  void aFailedSharedBatchFailsItsWaitersAndIsNotKept() {
    routes(PAGE);
    upstreams();
    c.on("/items:batchGet", (req, body) -> req.response().setStatusCode(503).end());
    CompletableFuture<HttpResponse<String>> page = gw.getAsync("/web/page/1");
    Eventually.await(vertx, "the items wait in the window", () -> stats().batchQueued() == 4);
    clock.advance(Duration.ofMillis(50));
    HttpResponse<String> degraded = gw.await(page);
    assertThat(degraded.headers().firstValue("x-medley-partial")).hasValue("related");
    upstreams();
    CompletableFuture<HttpResponse<String>> again = gw.getAsync("/web/page/1");
    Eventually.await(vertx, "the items wait in a new window", () -> stats().batchQueued() == 4);
    clock.advance(Duration.ofMillis(50));
    assertThat(json(gw.await(again).body()).get("related")).hasSize(4);
    assertThat(c.count("/items:batchGet")).isEqualTo(2);
  }

  private static List<String> concat(List<String> x, List<String> y) {
    List<String> all = new ArrayList<>(x);
    all.addAll(y);
    return all;
  }
}
