package dev.medley.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON line per request, written off the event loop, with what an operator greps for. */
class AccessLogTest extends GatewayTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String ROUTES =
      """
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /v2/p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                price: { upstream: b, path: "/prices/{id}", optional: null }
      """;

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private void startCapturing() {
    start("version: 1\n" + ROUTES, o -> o.withObserveHooks(new ObserveHooks(null, lines::add)));
  }

  private JsonNode nextLine() {
    try {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an access log line within 10s").isNotNull();
      assertThat(line).doesNotContain("\n");
      return Json.MAPPER.readTree(line);
    } catch (InterruptedException | IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void partialAnswerIsOneLineWithRouteTemplateTimingAndSteps() {
    startCapturing();
    a.on("/products", a.stall());
    b.on("/prices", FakeUpstream.json(500, "{}"));
    CompletableFuture<HttpResponse<String>> pending =
        gw.send(
            HttpRequest.newBuilder(gw.uri("/web/v2/p/42?x=1"))
                .header("X-Request-Id", "req-42")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
    a.awaitRequests(1);
    b.awaitRequests(1);
    clock.advance(Duration.ofMillis(25));
    a.releaseStalled("{\"name\":\"Shoe\"}");
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(200);

    JsonNode line = nextLine();
    assertThat(line.get("time").asText())
        .isEqualTo("2027-01-15T08:00:00.000Z"); // the manual clock's start
    assertThat(line.get("requestId").asText()).isEqualTo("req-42");
    assertThat(line.get("traceId").asText()).isEqualTo(TRACE_ID);
    assertThat(line.get("method").asText()).isEqualTo("GET");
    assertThat(line.get("experience").asText()).isEqualTo("web");
    assertThat(line.get("route").asText())
        .isEqualTo("/web/v2/p/{id}"); // the template, never /web/v2/p/42
    assertThat(line.get("version").asText()).isEqualTo("v2");
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("durationMs").asDouble()).isEqualTo(25.0);
    assertThat(line.get("partial")).extracting(JsonNode::asText).containsExactly("price");
    assertThat(line.get("bytesIn").asLong()).isZero();
    assertThat(line.get("bytesOut").asLong())
        .isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
    JsonNode product = line.get("steps").get(0);
    assertThat(product.get("step").asText()).isEqualTo("product");
    assertThat(product.get("outcome").asText()).isEqualTo("ok");
    assertThat(product.get("startMs").asDouble()).isEqualTo(0.0);
    assertThat(product.get("durationMs").asDouble()).isEqualTo(25.0);
    assertThat(product.get("calls").asInt()).isEqualTo(1);
    assertThat(product.get("attempts").asInt()).isEqualTo(1);
    assertThat(product.get("cache").asText()).isEqualTo("none");
    assertThat(product.has("reason")).isFalse();
    JsonNode price = line.get("steps").get(1);
    assertThat(price.get("outcome").asText()).isEqualTo("degraded");
    assertThat(price.get("reason").asText()).isEqualTo("STATUS");
    assertThat(line.toString()).doesNotContain("/web/v2/p/42").doesNotContain("x=1");
  }

  @Test
  void failedRouteIsLoggedWithTheStepThatFailedIt() {
    startCapturing();
    a.on("/products", FakeUpstream.json(503, "{}"));
    b.on("/prices", FakeUpstream.json("1"));
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/v2/p/1")).header("X-Request-Id", "not valid!"));
    assertThat(r.statusCode()).isEqualTo(502);

    JsonNode line = nextLine();
    assertThat(line.get("status").asInt()).isEqualTo(502);
    // an unsafe X-Request-Id is replaced; the log and the response carry the same new one
    String id = r.headers().firstValue("x-request-id").orElseThrow();
    assertThat(id).isNotEqualTo("not valid!").matches("[0-9a-f]{32}");
    assertThat(line.get("requestId").asText()).isEqualTo(id);
    assertThat(line.has("traceId")).isFalse();
    JsonNode product = line.get("steps").get(0);
    assertThat(product.get("outcome").asText()).isEqualTo("failed");
    assertThat(product.get("reason").asText()).isEqualTo("STATUS");
  }

  @Test
  void unmatchedRequestIsLoggedWithoutItsPath() {
    startCapturing();
    HttpResponse<String> r = gw.get("/web/secret-user-123/profile");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode line = nextLine();
    assertThat(line.get("route").asText()).isEqualTo("unmatched");
    assertThat(line.get("experience").asText()).isEqualTo("none");
    assertThat(line.get("steps")).isEmpty();
    assertThat(line.toString()).doesNotContain("secret-user-123");
  }

  @Test
  void fileTargetAppendsOneLinePerRequest(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("access.log");
    start(
        "version: 1\nobserve: { accessLog: { target: file, path: \"" + file + "\" } }\n" + ROUTES);
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    b.on("/prices", FakeUpstream.json("1"));
    gw.get("/web/v2/p/1");
    gw.get("/web/v2/p/2");
    gw.close(); // drains the writer
    gw = null;
    List<String> written = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(written).hasSize(2);
    assertThat(Json.MAPPER.readTree(written.get(1)).get("status").asInt()).isEqualTo(200);
  }
}
