package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Warmup;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway, the lean upstream client and the listeners on each Netty transport {@code medley
 * run} offers: each must compose a page, keep its upstream connection alive, and carry request
 * bodies both ways under concurrency. A transport this machine cannot load is skipped, saying why.
 */
class TransportTest {
  private static final String YAML =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          routes:
            GET /p/{id}:
              steps:
                item: { upstream: a, path: "/items/{id}" }
                more: { upstream: a, path: "/more/{item.id}" }
              response: { id: item.id, more: more.n }
      """;

  /** Pages sent at once: enough new connections to have lost some on io_uring before 4.2.13. */
  private static final int PAGES = 100;

  private static final int ROUNDS = 2;

  private static final String POST_YAML =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          routes:
            POST /orders:
              steps:
                order: { upstream: a, method: POST, path: /orders, body: { sku: "{body.sku}", qty: "{body.qty}" } }
                lines:
                  upstream: a
                  forEach: order.itemIds
                  path: "/items/{item}"
                  batch: { method: POST, path: "/items:batchGet", body: { ids: "{items}" }, max: 20, resultsAt: items, matchOn: id, window: 50ms }
              response: { sku: order.sku, qty: order.qty, items: lines }
      """;

  /** The transport named {@code name}, or the test is skipped saying why this machine lacks it. */
  private static Transport availableOrSkip(String name) {
    Transport transport = Transports.choose(name);
    assumeTrue(
        transport.available(),
        () -> name + " is not available here: " + transport.unavailabilityCause());
    return transport;
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "io_uring", "nio"})
  void composedPageIsServedOverKeptAliveConnections(String name) throws Exception {
    Transport transport = availableOrSkip(name);
    Warmup.once();
    Vertx vertx = Transports.vertx(new VertxOptions(), transport);
    try (FakeUpstream a = FakeUpstream.start(vertx)) {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(transport != Transport.NIO);
      a.on("/items", FakeUpstream.json("{\"id\":7}"));
      a.on("/more", FakeUpstream.json("{\"n\":3}"));
      try (Harness gw = Harness.start(vertx, YAML, Map.of("A", a.url()), new ManualClock())) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> r = gw.get("/p/" + i);
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo("{\"id\":7,\"more\":3}");
        }
      }
      assertThat(a.count("/")).isEqualTo(6);
      assertThat(a.acceptedConnections())
          .as("six sequential calls over one kept-alive connection")
          .isEqualTo(1);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Requests with bodies, many at once on new connections, each answered from a POST upstream call
   * and batch POSTs shared by the pages (each goes when 20 items wait: the 50 ms window on the
   * manual clock never closes). On io_uring with Netty 4.2.9 (what Vert.x 5.0.7 brings) batch calls
   * lost their connection (502 here; "header parser received no bytes" for clients elsewhere);
   * epoll and NIO never did, and Netty 4.2.13 and later carry them on io_uring too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"epoll", "io_uring", "nio"})
  void postPagesWithBodiesAndBatchPostsAnswerOnEveryTransport(String name) throws Exception {
    Transport transport = availableOrSkip(name);
    Warmup.once();
    // Rounds as the suite runs its classes: each on a new Vert.x, opened just after the previous
    // one closed (losing connections took a Vert.x closed shortly before on the same transport).
    for (int round = 0; round < ROUNDS; round++) {
      postRound(transport, round);
    }
  }

  private void postRound(Transport transport, int round) throws Exception {
    Vertx vertx = Transports.vertx(new VertxOptions(), transport);
    try (FakeUpstream a = FakeUpstream.start(vertx)) {
      a.on(
          "/orders",
          (req, body) -> {
            JsonObject order = new JsonObject(body);
            int n = order.getInteger("qty");
            req.response()
                .putHeader("content-type", "application/json")
                .end(
                    order
                        .copy()
                        .put("itemIds", new JsonArray(List.of("i" + n % 60, "i" + (n + 29) % 60)))
                        .encode());
          });
      a.on(
          "/items:batchGet",
          (req, body) -> {
            JsonArray items = new JsonArray();
            new JsonObject(body)
                .getJsonArray("ids")
                .forEach(id -> items.add(new JsonObject().put("id", id).put("name", "item " + id)));
            req.response()
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("items", items).encode());
          });
      try (Harness gw = Harness.start(vertx, POST_YAML, Map.of("A", a.url()), new ManualClock())) {
        List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>();
        for (int n = 0; n < PAGES; n++) {
          pages.add(
              gw.send(
                  HttpRequest.newBuilder(gw.uri("/orders"))
                      .header("content-type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"sku\":\"s" + n + "\",\"qty\":" + n + "}"))));
        }
        for (int n = 0; n < PAGES; n++) {
          HttpResponse<String> r = Harness.await(pages.get(n));
          String what = "round " + round + ", order " + n;
          assertThat(r.statusCode()).as(what).isEqualTo(200);
          assertThat(r.headers().firstValue("x-medley-partial")).as(what).isEmpty();
          assertThat(new JsonObject(r.body()))
              .as(what)
              .isEqualTo(
                  new JsonObject()
                      .put("sku", "s" + n)
                      .put("qty", n)
                      .put(
                          "items",
                          new JsonArray().add(item("i" + n % 60)).add(item("i" + (n + 29) % 60))));
        }
      }
      assertThat(a.count("/orders")).isEqualTo(PAGES);
      assertThat(a.count("/items:batchGet")).isPositive();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject item(String id) {
    return new JsonObject().put("id", id).put("name", "item " + id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "AUTO", "epoll", "io_uring", "nio"})
  void everyDocumentedNameChoosesATransport(String name) {
    assertThat(Transports.choose(name)).isNotNull();
    assertThat(Transports.NAMES).contains(name.toLowerCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "uring", "kqueue", "epol"})
  void unknownNamesChooseNothingAndTheRefusalListsTheKnownOnes(String name) {
    assertThat(Transports.choose(name)).isNull();
    assertThat(Transports.unavailable(name))
        .isEqualTo(name + " (expected one of [auto, epoll, io_uring, nio])");
  }

  @Test
  void autoTakesTheFirstAvailableTransportInItsOrder() {
    Transport uring = new FakeTransport("io_uring", false);
    Transport epoll = new FakeTransport("epoll", true);
    Transport nio = new FakeTransport("nio", true);
    assertThat(Transports.firstAvailable(List.of(uring, epoll, nio))).isSameAs(epoll);
    assertThat(Transports.firstAvailable(List.of(epoll, uring, nio))).isSameAs(epoll);
    Transport epollDown = new FakeTransport("epoll", false);
    assertThat(Transports.firstAvailable(List.of(uring, epollDown, nio))).isSameAs(nio);
    assertThat(Transports.AUTO_ORDER)
        .containsExactly(Transport.IO_URING, Transport.EPOLL, Transport.NIO);
  }

  /** A transport whose availability the test decides (Netty's own probes run once per JVM). */
  private record FakeTransport(String name, boolean available) implements Transport {
    @Override
    public Throwable unavailabilityCause() {
      return available ? null : new IllegalStateException(name + ' ' + "blocked by the test");
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new AssertionError("choosing a transport must not start it");
    }
  }
}
