package dev.medley.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.json.Json;
import dev.medley.testing.BlockedThreads;
import dev.medley.testing.Harness;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo as a user meets it: both routes, fault switches on the admin port, degradation, and the
 * deadline on real time (the one real-time test: it proves the timer really fires).
 */
@Tag("isolated")
class DemoGatewayTest {
  private Vertx vertx;
  private Demo demo;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    BlockedThreads.reset();
    vertx = Harness.vertx();
    Map<String, Integer> ports = new HashMap<>();
    DemoUpstreams.SERVICES.forEach(s -> ports.put(s, 0));
    demo = Demo.start(vertx, new VertxClock(vertx), 0, 0, ports, 1).await(20, TimeUnit.SECONDS);
    // Class loading and JIT on a cold (or busy) JVM can outlast the demo's short timeouts once.
    get("/web/v2/products/50");
    get("/mobile/products/50");
  }

  @AfterEach
  void stop() throws Exception {
    demo.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(BlockedThreads.warnings()).isEmpty();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void fault(String service, String mode) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + demo.gateway().adminPort()
                            + "/demo/faults/"
                            + service
                            + "?mode="
                            + mode))
                .header("Authorization", "Bearer " + demo.gateway().adminToken())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void webPageComposesAllFiveServicesWithRelatedItemsInOneBatchCall() throws Exception {
    HttpResponse<String> r = get("/web/v2/products/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode p = json(r);
    assertThat(p.get("id").asText()).isEqualTo("1");
    assertThat(p.get("name").asText()).isNotBlank();
    assertThat(p.get("price").get("amount").isNumber()).isTrue();
    assertThat(p.get("inStock").isBoolean()).isTrue();
    assertThat(p.get("reviews").get("count").isInt()).isTrue();
    JsonNode related = p.get("related");
    assertThat(related.size()).isGreaterThan(1);
    related.forEach(item -> assertThat(item.get("name").asText()).isNotBlank());
    assertThat(p.has("_partial")).isFalse();
    assertThat(demo.upstreams().requestCount("catalog", "batchGet"))
        .isEqualTo(2); // warm-up + this page
    assertThat(demo.upstreams().requestCount("catalog", "items")).isZero();
  }

  @Test
  void mobilePageIsCompactAndAtMost40PercentOfTheWebBytes() throws Exception {
    for (String id : new String[] {"1", "3", "10"}) {
      HttpResponse<String> web = get("/web/v2/products/" + id);
      HttpResponse<String> mobile = get("/mobile/products/" + id);
      assertThat(mobile.statusCode()).isEqualTo(200);
      JsonNode m = json(mobile);
      JsonNode w = json(web);
      assertThat(m.fieldNames())
          .toIterable()
          .containsExactly("id", "name", "price", "thumbnail", "reviews");
      JsonNode expectedPrice =
          w.get("salePrice").isNull() ? w.get("basePrice") : w.get("salePrice");
      assertThat(m.get("price").decimalValue()).isEqualByComparingTo(expectedPrice.decimalValue());
      assertThat(m.get("thumbnail").asText())
          .isEqualTo(w.get("images").get(0).get("thumbnail").asText());
      assertThat(m.get("reviews").get("count").asInt())
          .isEqualTo(w.get("reviews").get("count").asInt());
      assertThat(mobile.body().length()).isLessThanOrEqualTo((int) (web.body().length() * 0.4));
    }
  }

  @Test
  void unsellableProductDoesNotAskInventory() throws Exception {
    JsonNode p = json(get("/web/v2/products/10"));
    assertThat(p.get("sellable").asBoolean()).isFalse();
    assertThat(json(get("/web/v2/products/20")).get("sellable").asBoolean()).isFalse();
    assertThat(p.get("inStock").isNull()).isTrue();
    long before = demo.upstreams().requestCount("inventory");
    get("/web/v2/products/20");
    assertThat(demo.upstreams().requestCount("inventory")).isEqualTo(before);
  }

  @Test
  void reviewsDownDegradesToDefaultsWithPartialMarkers() throws Exception {
    assertThat(get("/web/v2/products/1").headers().firstValue("x-medley-partial")).isEmpty();
    fault("reviews", "down");
    HttpResponse<String> r = get("/web/v2/products/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode p = json(r);
    assertThat(p.get("reviews").toString()).isEqualTo("{\"count\":0,\"average\":null,\"top\":[]}");
    assertThat(p.get("_partial").asBoolean()).isTrue();
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("reviews");
    fault("reviews", "ok");
    assertThat(json(get("/web/v2/products/1")).has("_partial")).isFalse();
  }

  @Test
  void productDownIsA502Problem() throws Exception {
    fault("product", "down");
    HttpResponse<String> r = get("/web/v2/products/1");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(r).get("step").asText()).isEqualTo("product");
    assertThat(get("/mobile/products/1").statusCode()).isEqualTo(502);
  }

  @Test
  void slowInventoryBeyondTheDeadlineStillAnswersWithinDeadlinePlus50ms() throws Exception {
    long deadlineMs =
        demo.gateway().plan().routes().stream()
            .filter(r -> r.template().equals("/web/v2/products/{id}"))
            .findFirst()
            .orElseThrow()
            .deadline()
            .toMillis();
    fault("inventory", "slow");
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = get("/web/v2/products/2");
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-medley-partial")).hasValue("stock");
      assertThat(tookMs).isLessThanOrEqualTo(deadlineMs + 50);
    }
  }

  @Test
  void unknownFaultModeOrServiceIs400() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + demo.gateway().adminPort()
                            + "/demo/faults/reviews?mode=melt"))
                .header("Authorization", "Bearer " + demo.gateway().adminToken())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("ok, down, slow, error");
  }
}
