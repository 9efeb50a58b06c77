package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.json.Json;
import dev.medley.plan.RoutePlan;
import dev.medley.testing.MemoryUpstreams;
import dev.medley.testing.Plans;
import dev.medley.time.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast engine tier: {@link Execution} and {@link StepRunner} run on in-memory upstreams and a
 * {@link ManualClock}; no sockets, no Vert.x instance, every future completes on the test thread.
 */
@Tag("fast")
class ExecutionTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryUpstreams upstreams = new MemoryUpstreams();

  private Future<Composed> run(Engine engine, RoutePlan route, Map<String, String> params) {
    return engine.execute(route, Plans.scope(route, params), upstreams, "req-1");
  }

  private Future<Composed> run(RoutePlan route) {
    return run(new Engine(clock), route, Map.of("id", "7"));
  }

  private static String body(Future<Composed> f) {
    assertThat(f.succeeded()).as("composed: %s", f.cause()).isTrue();
    return Json.MAPPER.valueToTree(f.result().body()).toString();
  }

  private static RouteFailure failure(Future<Composed> f) {
    assertThat(f.failed()).as("failed").isTrue();
    assertThat(f.cause()).isInstanceOf(RouteFailure.class);
    return (RouteFailure) f.cause();
  }

  @Test
  void independentStepsStartTogetherAndADependentStepWaitsForWhatItReads() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            price: { upstream: b, path: "/prices/{id}" }
            brand: { upstream: c, path: "/brands/{product.brandId}" }
          response: { name: product.name, price: price.amount, brand: brand.name }
        """);
    upstreams.hold("a").hold("b").hold("c");
    Future<Composed> f = run(route);
    assertThat(upstreams.calls()).containsExactly("a GET /products/7", "b GET /prices/7");
    upstreams.held("/products/7").json("{\"name\":\"Shoe\",\"brandId\":\"b9\"}");
    assertThat(upstreams.calls())
        .containsExactly("a GET /products/7", "b GET /prices/7", "c GET /brands/b9");
    upstreams.held("/brands/b9").json("{\"name\":\"Acme\"}");
    assertThat(f.isComplete()).as("waits for price").isFalse();
    upstreams.held("/prices/7").json("{\"amount\":12}");
    assertThat(body(f)).isEqualTo("{\"name\":\"Shoe\",\"price\":12,\"brand\":\"Acme\"}");
    assertThat(f.result().degraded()).isEmpty();
    assertThat(clock.pendingTimers()).as("the deadline timer is cancelled").isZero();
  }

  @Test
  void aCriticalStepStillPendingAtTheDeadlineIs504NamingIt() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          deadline: 100ms
          steps:
            product: { upstream: a, path: "/products/{id}" }
          response: { name: product.name }
        """);
    upstreams.hold("a");
    Future<Composed> f = run(route);
    clock.advance(Duration.ofMillis(99));
    assertThat(f.isComplete()).isFalse();
    clock.advance(Duration.ofMillis(1));
    RouteFailure e = failure(f);
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.step()).isEqualTo("product");
    assertThat(e.trace())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.outcome()).isEqualTo("failed");
              assertThat(t.reason()).isEqualTo("DEADLINE");
            });
  }

  @Test
  void optionalStepsPendingAtTheDeadlineFallBackAndTheAnswerIsPartial() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          deadline: 100ms
          steps:
            product: { upstream: a, path: "/products/{id}" }
            reviews: { upstream: b, path: "/reviews/{id}", optional: { count: 0 } }
          response: { name: product.name, reviews: reviews.count }
        """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}")).hold("b");
    Future<Composed> f = run(route);
    clock.advance(Duration.ofMillis(100));
    assertThat(body(f)).isEqualTo("{\"name\":\"Shoe\",\"reviews\":0,\"_partial\":true}");
    assertThat(f.result().degraded()).containsExactly("reviews");
    assertThat(f.result().trace())
        .filteredOn(t -> t.step().equals("reviews"))
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("DEADLINE"));
  }

  @Test
  void aFailedOptionalStepFallsBackAndAFailedCriticalStepIs502() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            reviews: { upstream: b, path: "/reviews/{id}", optional: { count: 0 } }
          response: { name: product.name, reviews: reviews.count }
        """);
    upstreams
        .on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}"))
        .on("b", MemoryUpstreams.status(503));
    Future<Composed> ok = run(route);
    assertThat(body(ok)).isEqualTo("{\"name\":\"Shoe\",\"reviews\":0,\"_partial\":true}");
    assertThat(ok.result().degraded()).containsExactly("reviews");

    upstreams.on("a", MemoryUpstreams.status(500));
    RouteFailure e = failure(run(route));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.step()).isEqualTo("product");
  }

  @Test
  void aStepWhoseConditionIsFalseIsSkippedWithoutACall() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            stock: { upstream: b, path: "/stock/{id}", when: product.sellable }
          response: { name: product.name, stock: stock }
        """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\",\"sellable\":false}"));
    Future<Composed> f = run(route);
    assertThat(body(f)).isEqualTo("{\"name\":\"Shoe\",\"stock\":null}");
    assertThat(upstreams.calls()).containsExactly("a GET /products/7");
    assertThat(f.result().trace())
        .filteredOn(t -> t.step().equals("stock"))
        .singleElement()
        .satisfies(t -> assertThat(t.outcome()).isEqualTo("skipped"));
  }

  @Test
  void forEachKeepsAtMostConcurrencyCallsInFlightAndAnswersInItemOrder() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            related: { upstream: b, forEach: product.related, path: "/items/{item}", concurrency: 2 }
          response: { names: related }
        """);
    upstreams.on("a", MemoryUpstreams.json("{\"related\":[1,2,3,4]}")).hold("b");
    Future<Composed> f = run(route);
    assertThat(upstreams.held()).hasSize(2);
    upstreams.held("/items/2").json("\"two\"");
    assertThat(upstreams.held())
        .extracting(h -> h.request().pathAndQuery())
        .containsExactly("/items/1", "/items/3");
    upstreams.held("/items/3").json("\"three\"");
    upstreams.held("/items/1").json("\"one\"");
    upstreams.held("/items/4").json("\"four\"");
    assertThat(body(f)).isEqualTo("{\"names\":[\"one\",\"two\",\"three\",\"four\"]}");
  }

  @Test
  void aStaleCachedValueStandsInForACriticalStepAndDegradesIt() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 10s, staleIfError: 60s }, select: result.name }
          response: { name: product }
        """);
    StepCache staleOnly =
        (step, call, scope, fetch) ->
            fetch
                .get()
                .transform(
                    ar ->
                        ar.succeeded()
                            ? Future.succeededFuture(StepValue.of(ar.result().value()))
                            : Future.succeededFuture(
                                StepValue.staleOf(
                                    Json.MAPPER.createObjectNode().put("name", "Old shoe"))));
    upstreams.on("a", MemoryUpstreams.status(503));
    Future<Composed> f = run(new Engine(clock, staleOnly), route, Map.of("id", "7"));
    assertThat(body(f))
        .as("select: applies to the stale value too")
        .isEqualTo("{\"name\":\"Old shoe\",\"_partial\":true}");
    assertThat(f.result().degraded()).containsExactly("product");
    assertThat(f.result().trace())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.outcome()).isEqualTo("degraded");
              assertThat(t.reason()).isEqualTo("STALE");
            });
  }

  @Test
  void aPartialMarkNeverLandsOnAStepResultSharedWithLaterRequests() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}", cache: { ttl: 10s } }
            extra: { upstream: b, path: "/extra/{id}", optional: null }
          response: product
        """);
    // A step cache hands every request the same cached node, as the real one does.
    var cached = Json.MAPPER.createObjectNode().put("name", "Shoe");
    StepCache shared = (step, call, scope, fetch) -> Future.succeededFuture(StepValue.of(cached));
    Engine engine = new Engine(clock, shared);
    upstreams.on("b", MemoryUpstreams.status(503));
    assertThat(body(run(engine, route, Map.of("id", "7"))))
        .isEqualTo("{\"name\":\"Shoe\",\"_partial\":true}");
    upstreams.on("b", MemoryUpstreams.json("{}"));
    assertThat(body(run(engine, route, Map.of("id", "7"))))
        .as("the next complete answer carries no mark of the degraded one")
        .isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(cached.toString()).isEqualTo("{\"name\":\"Shoe\"}");
  }

  @Test
  void aBatchWindowSendsTheItemsOfConcurrentRequestsInOneCall() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            related:
              upstream: b
              forEach: product.related
              path: /items/{item}
              batch: { method: POST, path: /items:batchGet, body: { ids: "{items}" }, max: 50, resultsAt: items, matchOn: id, window: 10ms }
          response: { related: related }
        """);
    upstreams.on(
        "a",
        r ->
            Future.succeededFuture(
                MemoryUpstreams.response(
                    200,
                    r.pathAndQuery().endsWith("/1")
                        ? "{\"related\":[\"x\",\"y\"]}"
                        : "{\"related\":[\"y\",\"z\"]}")));
    upstreams.hold("b");
    Engine engine = new Engine(clock);
    Future<Composed> first = run(engine, route, Map.of("id", "1"));
    Future<Composed> second = run(engine, route, Map.of("id", "2"));
    assertThat(upstreams.held()).as("nothing is sent before the window closes").isEmpty();
    clock.advance(Duration.ofMillis(10));
    MemoryUpstreams.Held call = upstreams.held("/items:batchGet");
    assertThat(call.request().body().toString()).isEqualTo("{\"ids\":[\"x\",\"y\",\"z\"]}");
    call.json("{\"items\":[{\"id\":\"z\",\"n\":3},{\"id\":\"x\",\"n\":1},{\"id\":\"y\",\"n\":2}]}");
    assertThat(body(first))
        .isEqualTo("{\"related\":[{\"id\":\"x\",\"n\":1},{\"id\":\"y\",\"n\":2}]}");
    assertThat(body(second))
        .isEqualTo("{\"related\":[{\"id\":\"y\",\"n\":2},{\"id\":\"z\",\"n\":3}]}");
    assertThat(engine.batchStats()).isEqualTo(new Engine.BatchStats(1, 3, 0));
  }

  @Test
  void withoutAWindowABatchStepSendsItsOwnChunksOfAtMostMax() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            related:
              upstream: b
              forEach: product.related
              path: /items/{item}
              batch: { method: POST, path: /items:batchGet, body: { ids: "{items}" }, max: 2, resultsAt: items }
          response: { related: related }
        """);
    upstreams
        .on("a", MemoryUpstreams.json("{\"related\":[1,2,3]}"))
        .on(
            "b",
            r ->
                Future.succeededFuture(
                    MemoryUpstreams.response(
                        200,
                        "{\"items\":"
                            + Json.MAPPER.valueToTree(
                                r.body().toJsonObject().getJsonArray("ids").getList())
                            + "}")));
    assertThat(body(run(route))).isEqualTo("{\"related\":[1,2,3]}");
    assertThat(upstreams.requests())
        .filteredOn(r -> r.method().equals("POST"))
        .extracting(r -> r.body().toString())
        .containsExactly("{\"ids\":[1,2]}", "{\"ids\":[3]}");
  }

  @Test
  void everyCallCarriesTheRequestIdAndATimeoutCappedByTheDeadline() {
    RoutePlan route =
        Plans.route(
            """
        GET /p/{id}:
          deadline: 300ms
          steps:
            product: { upstream: a, path: "/products/{id}", timeout: 2s }
          response: { name: product.name }
        """);
    upstreams.hold("a");
    run(route);
    clock.advance(Duration.ofMillis(100));
    var req = upstreams.held("/products/7").request();
    assertThat(req.headers().get("x-request-id")).isEqualTo("req-1");
    assertThat(req.attemptNanos(clock.nanoTime())).isEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(req.deadlineBinds(clock.nanoTime())).isTrue();
  }
}
