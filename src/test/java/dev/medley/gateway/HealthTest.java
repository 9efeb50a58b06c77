package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.admin.AdminServer;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness: ready once the plan is loaded and the listener listens; an upstream
 * counts only when a critical step calls it, and only after three failed checks in a row.
 */
class HealthTest extends GatewayTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  @BeforeEach
  void startWithCheckedUpstreams() {
    a.on("/health", FakeUpstream.json("{}"));
    b.on("/status", FakeUpstream.json("{}"));
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", health: { path: /health, interval: 5s } }
          b: { url: "${env:B}", health: { path: /status, interval: 5s } }
        experiences:
          web:
            routes:
              GET /p:
                steps:
                  product: { upstream: a, path: /p }
                  reviews: { upstream: b, path: /r, optional: null }
        """);
  }

  private HttpResponse<String> ready() {
    return gw.admin("GET", AdminServer.READY_PATH, null);
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  /** Moves the clock one interval and waits until every upstream has been checked once more. */
  private void checkRound() throws Exception {
    var round = gw.gateway.health().nextRound();
    clock.advance(INTERVAL);
    round.await(10, TimeUnit.SECONDS);
  }

  @Test
  void liveAndReadyOnceStarted() {
    assertThat(gw.admin("GET", AdminServer.LIVE_PATH, null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = ready();
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.path("status").asText()).isEqualTo("ready");
    assertThat(body.path("upstreams").path("a").path("critical").asBoolean()).isTrue();
    assertThat(body.path("upstreams").path("b").path("critical").asBoolean()).isFalse();
  }

  @Test
  void upstreamOnlyOptionalStepsCallNeverMakesTheGatewayUnready() throws Exception {
    b.on("/status", FakeUpstream.json(503, "{}"));
    for (int i = 0; i < 4; i++) {
      checkRound();
      assertThat(ready().statusCode()).as("after %d failed checks of b", i + 1).isEqualTo(200);
    }
    assertThat(json(ready()).path("upstreams").path("b").path("status").asText()).isEqualTo("down");
  }

  @Test
  void criticalUpstreamMakesTheGatewayUnreadyOnlyAfterThreeFailedChecksInARow() throws Exception {
    a.on("/health", FakeUpstream.json(503, "{}"));
    checkRound();
    checkRound();
    assertThat(ready().statusCode()).as("two failures are not an outage").isEqualTo(200);
    checkRound();
    HttpResponse<String> r = ready();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r).path("status").asText()).isEqualTo("unready");
    assertThat(json(r).path("upstreams").path("a").path("lastProblem").asText())
        .isEqualTo("answered 503");

    a.on("/health", FakeUpstream.json("{}"));
    checkRound();
    assertThat(ready().statusCode()).as("one success brings it back").isEqualTo(200);
  }

  @Test
  void oneLostCheckBetweenSuccessesDoesNotCount() throws Exception {
    a.on("/health", FakeUpstream.json(503, "{}"));
    checkRound();
    checkRound();
    a.on("/health", FakeUpstream.json("{}"));
    checkRound();
    a.on("/health", FakeUpstream.json(503, "{}"));
    checkRound();
    assertThat(ready().statusCode()).isEqualTo(200);
    assertThat(json(ready()).path("upstreams").path("a").path("failures").asInt()).isEqualTo(1);
  }
}
