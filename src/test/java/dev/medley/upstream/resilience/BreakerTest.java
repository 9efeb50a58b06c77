package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The upstream circuit breaker on the manual clock: opens after N failures, then the upstream
 * receives nothing until the open period passes; half-open lets exactly the configured probes
 * through; probes decide between closing and reopening. Retries are off so counts are exact.
 */
class BreakerTest extends GatewayTest {
  private static String config(String breaker) {
    return """
        version: 1
        upstreams:
          a: { url: "${env:A}", retry: { attempts: 1 }, breaker: %s }
        experiences:
          web:
            routes:
              GET /crit/{id}:
                steps:
                  item: { upstream: a, path: "/items/{id}" }
              GET /opt/{id}:
                steps:
                  item: { upstream: a, path: "/items/{id}", optional: null }
        """
        .formatted(breaker);
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private ResilienceEvents events() {
    return gw.gateway.resilience();
  }

  private void getTimes(String path, int n, int status) {
    for (int i = 0; i < n; i++) {
      assertThat(gw.get(path).statusCode()).as(path + " #" + i).isEqualTo(status);
    }
  }

  @Test
  void opensAfterConsecutiveFailuresAndSendsNothingUntilTheOpenPeriodPasses() {
    start(config("{ consecutiveFailures: 3, openFor: 10s, halfOpenCalls: 2 }"));
    a.on("/items", FakeUpstream.json(503, "{}"));
    getTimes("/crit/1", 3, 502);
    assertThat(a.count("/items")).isEqualTo(3);
    assertThat(events().state("a", null)).isEqualTo(BreakerState.OPEN);

    // Open: a critical step answers 503 with Retry-After; an optional one takes its fallback.
    HttpResponse<String> refused = gw.get("/crit/1");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("10");
    assertThat(json(refused).get("type").asText())
        .isEqualTo("urn:medley:problem:upstream-unavailable");
    assertThat(json(refused).get("step").asText()).isEqualTo("item");
    HttpResponse<String> degraded = gw.get("/opt/1");
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.headers().firstValue("x-medley-partial")).hasValue("item");
    getTimes("/opt/1", 20, 200);
    clock.advance(Duration.ofSeconds(9));
    assertThat(gw.get("/crit/1").headers().firstValue("retry-after")).hasValue("1");
    assertThat(a.count("/items")).as("nothing reaches the upstream while open").isEqualTo(3);
    assertThat(events().rejectionCount("a", Rejection.BREAKER_OPEN)).isEqualTo(23);

    // Half-open after the open period: exactly two probes go through; both fail, so it reopens.
    clock.advance(Duration.ofMillis(1001));
    getTimes("/crit/1", 2, 502);
    assertThat(a.count("/items")).isEqualTo(5);
    assertThat(events().state("a", null)).isEqualTo(BreakerState.OPEN);
    getTimes("/crit/1", 3, 503);
    assertThat(a.count("/items")).isEqualTo(5);

    // Recovery: the next probes succeed and the breaker closes; every call flows again.
    a.on("/items", FakeUpstream.json("{\"ok\":true}"));
    clock.advance(Duration.ofMillis(10_001));
    getTimes("/crit/1", 2, 200);
    assertThat(events().state("a", null)).isEqualTo(BreakerState.CLOSED);
    getTimes("/crit/1", 10, 200);
    assertThat(a.count("/items")).isEqualTo(17);
    assertThat(events().transitionCount("a", null, BreakerState.OPEN)).isEqualTo(2);
    assertThat(events().transitionCount("a", null, BreakerState.HALF_OPEN)).isEqualTo(2);
    assertThat(events().transitionCount("a", null, BreakerState.CLOSED)).isEqualTo(1);
  }

  @Test
  void halfOpenLetsOnlyTheConfiguredProbesThroughWhileTheyAreInFlight() {
    start(config("{ consecutiveFailures: 2, openFor: 5s, halfOpenCalls: 2 }"));
    a.on("/items", FakeUpstream.json(500, "{}"));
    getTimes("/crit/1", 2, 502);
    clock.advance(Duration.ofMillis(5_001));
    a.on("/items", a.stall());
    CompletableFuture<HttpResponse<String>> p1 = gw.getAsync("/crit/1");
    CompletableFuture<HttpResponse<String>> p2 = gw.getAsync("/crit/2");
    a.awaitRequests(4);
    // A third call while both probes are out is refused.
    assertThat(gw.get("/crit/3").statusCode()).isEqualTo(503);
    a.releaseStalled("{\"ok\":true}");
    assertThat(gw.await(p1).statusCode()).isEqualTo(200);
    assertThat(gw.await(p2).statusCode()).isEqualTo(200);
    assertThat(events().state("a", null)).isEqualTo(BreakerState.CLOSED);
    assertThat(a.count("/items")).isEqualTo(4);
  }

  @Test
  void opensOnFailureRateOverTheWindowWithoutConsecutiveFailures() {
    start(config("{ consecutiveFailures: 0, failureRate: 50%, minimumCalls: 6, window: 10s }"));
    a.on("/items/ok", FakeUpstream.json("{}"));
    a.on("/items/bad", FakeUpstream.json(502, "{}"));
    for (int i = 0; i < 3; i++) {
      assertThat(gw.get("/crit/ok").statusCode()).isEqualTo(200);
      assertThat(events().state("a", null)).isEqualTo(BreakerState.CLOSED);
      assertThat(gw.get("/crit/bad").statusCode()).isEqualTo(502);
    }
    // 3 of 6 calls failed: 50%, at the threshold once the window holds the minimum.
    assertThat(events().state("a", null)).isEqualTo(BreakerState.OPEN);
    assertThat(gw.get("/crit/ok").statusCode()).isEqualTo(503);
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    start(config("{ consecutiveFailures: 0, failureRate: 50%, minimumCalls: 4, window: 10s }"));
    a.on("/items/ok", FakeUpstream.json("{}"));
    a.on("/items/bad", FakeUpstream.json(502, "{}"));
    getTimes("/crit/bad", 3, 502);
    clock.advance(Duration.ofSeconds(11));
    getTimes("/crit/ok", 3, 200);
    getTimes("/crit/bad", 1, 502);
    assertThat(events().state("a", null))
        .as("1 failure in 4 calls within the window")
        .isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void opensOnSlowCallRateMeasuredOnTheInjectedClock() {
    start(
        config(
            "{ consecutiveFailures: 0, slowCallRate: 100%, slowCallDuration: 200ms, minimumCalls: 2 }"));
    a.on("/items", a.stall());
    for (int i = 0; i < 2; i++) {
      CompletableFuture<HttpResponse<String>> p = gw.getAsync("/crit/" + i);
      a.awaitRequests(1);
      clock.advance(Duration.ofMillis(250));
      a.releaseStalled("{\"slow\":true}");
      assertThat(gw.await(p).statusCode()).as("slow but successful").isEqualTo(200);
    }
    assertThat(events().state("a", null)).isEqualTo(BreakerState.OPEN);
    assertThat(gw.get("/crit/3").statusCode()).isEqualTo(503);
  }

  @Test
  void clientErrorsDoNotOpenTheBreaker() {
    start(config("{ consecutiveFailures: 2 }"));
    a.on("/items", FakeUpstream.json(404, "{}"));
    getTimes("/crit/1", 5, 502);
    assertThat(events().state("a", null)).isEqualTo(BreakerState.CLOSED);
    assertThat(a.count("/items")).isEqualTo(5);
  }

  @Test
  void breakerOffNeverRejects() {
    start(config("off"));
    a.on("/items", FakeUpstream.json(503, "{}"));
    getTimes("/crit/1", 12, 502);
    assertThat(a.count("/items")).isEqualTo(12);
  }
}
