package dev.medley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.medley.testing.Harness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoUpstreamsTest {
  private static final Map<String, Integer> EPHEMERAL =
      Map.of("product", 0, "pricing", 0, "inventory", 0, "reviews", 0, "catalog", 0);

  private Vertx vertx;
  private HttpClientAgent client;
  private DemoUpstreams upstreams;

  private record Answer(int status, String contentType, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Harness.vertx(new VertxOptions());
    // No pooled connections: each request sees the service as it is now, not a stale socket.
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    upstreams = await(DemoUpstreams.start(vertx, EPHEMERAL));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void bindsEveryServiceToItsOwnEphemeralPort() {
    assertThat(upstreams.ports().keySet()).containsExactlyElementsOf(DemoUpstreams.SERVICES);
    assertThat(upstreams.ports().values()).doesNotHaveDuplicates().allMatch(port -> port > 0);
    assertThat(upstreams.port("catalog")).isEqualTo(upstreams.ports().get("catalog"));
  }

  @Test
  void productHasTheFieldsARichPageNeeds() throws Exception {
    Answer answer = get("product", "/products/1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    JsonObject product = answer.json();
    assertThat(product.getString("id")).isEqualTo("1");
    assertThat(product.getString("name")).isEqualTo("Trail Running Shoe");
    assertThat(product.getString("brand")).isNotBlank();
    assertThat(product.getString("description"))
        .contains("Trail Running Shoe")
        .hasSizeGreaterThan(150);
    assertThat(product.getDouble("basePrice")).isPositive();
    assertThat(product.getDouble("salePrice")).isLessThan(product.getDouble("basePrice"));
    assertThat(product.getString("currency")).isEqualTo("EUR");
    assertThat(product.getBoolean("sellable")).isTrue();
    JsonArray images = product.getJsonArray("images");
    assertThat(images.size()).isBetween(2, 3);
    assertThat(images.getJsonObject(0).getString("thumbnail"))
        .isEqualTo("https://img.example/p/1/thumb.jpg");
    assertThat(images.getJsonObject(0).getString("full"))
        .isEqualTo("https://img.example/p/1/full.jpg");
    assertThat(images.getJsonObject(0).getString("alt")).isNotBlank();
    assertThat(product.getJsonObject("attributes").fieldNames()).isNotEmpty();
    assertThat(product.getJsonArray("relatedIds").getList()).isNotEmpty().doesNotContain("1");
  }

  @Test
  void productsAreDeterministicWithGapsInSellableAndSale() throws Exception {
    JsonObject tenth = get("product", "/products/10").json();
    JsonObject third = get("product", "/products/3").json();

    assertThat(tenth.getBoolean("sellable")).isFalse();
    assertThat(third.containsKey("salePrice")).isTrue();
    assertThat(third.getValue("salePrice")).isNull();
    assertThat(get("product", "/products/3").json()).isEqualTo(third);
  }

  @Test
  void unknownProductIsNotFoundWithJsonError() throws Exception {
    for (String path :
        new String[] {"/products/51", "/products/0", "/products/abc", "/products/1/x"}) {
      Answer answer = get("product", path);
      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.json()).as(path).isEqualTo(new JsonObject().put("error", "not found"));
    }
  }

  @Test
  void pricingInventoryAndReviewsDescribeTheSameProduct() throws Exception {
    JsonObject product = get("product", "/products/1").json();
    JsonObject price = get("pricing", "/prices/1").json();
    JsonObject stock = get("inventory", "/stock/1").json();
    JsonObject reviews = get("reviews", "/summary/1").json();

    assertThat(price.getString("productId")).isEqualTo("1");
    assertThat(price.getDouble("amount")).isEqualTo(product.getDouble("salePrice"));
    assertThat(price.getString("currency")).isEqualTo("EUR");
    assertThat(price.getInteger("discountPercent")).isPositive();
    assertThat(stock.getString("productId")).isEqualTo("1");
    assertThat(stock.getBoolean("available")).isEqualTo(stock.getInteger("quantity") > 0);
    assertThat(stock.getString("warehouse")).isNotBlank();
    assertThat(reviews.getInteger("count")).isPositive();
    assertThat(reviews.getDouble("average")).isBetween(1.0, 5.0);
    assertThat(reviews.getJsonArray("top").size()).isEqualTo(2);
    assertThat(reviews.getJsonArray("top").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("rating", "title", "text");
  }

  @Test
  void catalogItemIsTheShortFormOfAProduct() throws Exception {
    JsonObject item = get("catalog", "/items/2").json();

    assertThat(item.fieldNames()).containsExactlyInAnyOrder("id", "name", "thumbnail", "price");
    assertThat(item.getString("name"))
        .isEqualTo(get("product", "/products/2").json().getString("name"));
    assertThat(item.getDouble("price"))
        .isEqualTo(get("pricing", "/prices/2").json().getDouble("amount"));
  }

  @Test
  void batchGetKeepsRequestOrderAndSkipsUnknownIds() throws Exception {
    Answer answer =
        batchGet(new JsonObject().put("ids", new JsonArray().add("3").add("999").add("1")));

    assertThat(answer.status()).isEqualTo(200);
    JsonArray items = answer.json().getJsonArray("items");
    assertThat(items.stream().map(item -> ((JsonObject) item).getString("id")))
        .containsExactly("3", "1");
    assertThat(items.getJsonObject(0)).isEqualTo(get("catalog", "/items/3").json());
  }

  @Test
  void batchGetRejectsABodyWithoutIds() throws Exception {
    assertThat(batchGet(new JsonObject().put("id", "1")).status()).isEqualTo(400);
  }

  @Test
  void downRefusesConnectionsThenOkServesAgainOnTheSamePort() throws Exception {
    int port = upstreams.port("product");

    await(upstreams.setMode("product", FaultMode.DOWN));
    assertThat(upstreams.mode("product")).isEqualTo(FaultMode.DOWN);
    assertThatThrownBy(() -> get("product", "/products/1")).satisfies(this::refused);

    await(upstreams.setMode("product", FaultMode.OK));
    assertThat(upstreams.port("product")).isEqualTo(port);
    assertThat(get("product", "/products/1").status()).isEqualTo(200);
  }

  @Test
  void downClosesKeepAliveConnectionsAlreadyOpen() throws Exception {
    NetSocket socket =
        await(vertx.createNetClient().connect(upstreams.port("pricing"), "127.0.0.1"));
    Promise<Void> firstAnswer = Promise.promise();
    Promise<Void> closed = Promise.promise();
    socket.handler(data -> firstAnswer.tryComplete());
    socket.closeHandler(ignored -> closed.complete());
    socket.write("GET /prices/1 HTTP/1.1\r\nHost: demo\r\n\r\n");
    await(firstAnswer.future());

    await(upstreams.setMode("pricing", FaultMode.DOWN));

    await(closed.future());
  }

  @Test
  void errorModeAnswers500WithInjectedFailure() throws Exception {
    await(upstreams.setMode("inventory", FaultMode.ERROR));

    Answer answer = get("inventory", "/stock/1");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.json()).isEqualTo(new JsonObject().put("error", "injected failure"));
    assertThat(upstreams.requestCount("inventory")).isEqualTo(1);
  }

  @Test
  void slowModeAnswersOnlyAfterTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(50);
    upstreams.slowDelay(delay);
    await(upstreams.setMode("reviews", FaultMode.SLOW));

    long sent = System.nanoTime();
    Answer answer = get("reviews", "/summary/1");

    // A timer never fires early, so this lower bound cannot flake.
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(delay);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getString("productId")).isEqualTo("1");
  }

  @Test
  void countsRequestsByServiceAndEndpointKind() throws Exception {
    get("catalog", "/items/1");
    get("catalog", "/items/77");
    batchGet(new JsonObject().put("ids", new JsonArray().add("1")));
    get("catalog", "/nowhere");
    await(upstreams.setMode("catalog", FaultMode.DOWN));
    assertThatThrownBy(() -> get("catalog", "/items/1")).satisfies(this::refused);

    assertThat(upstreams.requestCount("catalog")).isEqualTo(4);
    assertThat(upstreams.requestCount("catalog", "items")).isEqualTo(2);
    assertThat(upstreams.requestCount("catalog", "batchGet")).isEqualTo(1);
    assertThat(upstreams.requestCount("catalog", "unmatched")).isEqualTo(1);
    assertThat(upstreams.requestCount("product")).isZero();
  }

  @Test
  void startFailsWhenAPortIsTaken() throws Exception {
    Map<String, Integer> clash =
        Map.of(
            "product",
            0,
            "pricing",
            0,
            "inventory",
            0,
            "reviews",
            0,
            "catalog",
            upstreams.port("catalog"));

    // NIO and epoll say BindException; io_uring an IOException with the same errno text.
    assertThatThrownBy(() -> await(DemoUpstreams.start(vertx, clash)))
        .isInstanceOf(IOException.class)
        .satisfiesAnyOf(
            t -> assertThat(t).isInstanceOf(BindException.class),
            t -> assertThat(t).hasMessageContaining("Address already in use"));
  }

  /**
   * A refused connection, as every transport reports it: a {@link ConnectException} somewhere in
   * the chain (NIO and epoll wrap it, io_uring throws it as is).
   */
  private void refused(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof ConnectException)) {
      c = c.getCause();
    }
    assertThat(c).as("a ConnectException in the chain of %s", t).isNotNull();
  }

  @Test
  void unknownServiceNamesTheValidOnes() {
    assertThatThrownBy(() -> await(upstreams.setMode("billing", FaultMode.DOWN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("billing")
        .hasMessageContaining("product, pricing, inventory, reviews, catalog");
    assertThatThrownBy(() -> upstreams.requestCount("billing"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(DemoUpstreams.start(vertx, Map.of("billing", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("billing");
  }

  @Test
  void slowDelayMustBeAtLeastOneMillisecond() {
    assertThatThrownBy(() -> upstreams.slowDelay(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slowDelay");
  }

  @Test
  void parsesFaultModesIgnoringCase() {
    assertThat(FaultMode.parse("ok")).isEqualTo(FaultMode.OK);
    assertThat(FaultMode.parse("DOWN")).isEqualTo(FaultMode.DOWN);
    assertThat(FaultMode.parse("Slow")).isEqualTo(FaultMode.SLOW);
    assertThat(FaultMode.parse("error")).isEqualTo(FaultMode.ERROR);
    assertThatThrownBy(() -> FaultMode.parse("flaky"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flaky")
        .hasMessageContaining("ok, down, slow, error");
  }

  private Answer get(String service, String path) throws Exception {
    return send(service, HttpMethod.GET, path, null);
  }

  private Answer batchGet(JsonObject body) throws Exception {
    return send("catalog", HttpMethod.POST, "/items:batchGet", body.toBuffer());
  }

  private Answer send(String service, HttpMethod method, String path, Buffer body)
      throws Exception {
    Future<Answer> answer =
        client
            .request(method, upstreams.port(service), "127.0.0.1", path)
            .compose(request -> body == null ? request.send() : request.send(body))
            .compose(
                response ->
                    response
                        .body()
                        .map(
                            b ->
                                new Answer(
                                    response.statusCode(), response.getHeader("content-type"), b)));
    return await(answer);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
