package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Which calls are retried, how long each retry waits (full jitter from the injected random source),
 * that no wait or attempt runs past the deadline, and the deadline header each attempt carries.
 */
class RetryTest extends GatewayTest {
  private static final String ROUTES =
      """
      experiences:
        web:
          routes:
            GET /get/{id}:
              deadline: %s
              steps:
                item: { upstream: a, path: "/items/{id}" }
            POST /post/{id}:
              headers: [Idempotency-Key]
              steps:
                item: { upstream: a, method: POST, path: "/items/{id}", headers: { Idempotency-Key: "{headers.idempotency-key}" } }
            PUT /put/{id}:
              steps:
                item: { upstream: a, method: PUT, path: "/items/{id}" }
            GET /two/{id}:
              deadline: 500ms
              steps:
                first: { upstream: a, path: "/first/{id}" }
                second: { upstream: b, path: "/second/{first.id}", optional: { none: true } }
      """;

  private void startWith(String upstreamA, String deadline) {
    start(
        "version: 1\nupstreams:\n  a: "
            + upstreamA
            + "\n  b: { url: \"${env:B}\" }\n"
            + ROUTES.formatted(deadline));
  }

  private HttpResponse<String> post(String path, String idempotencyKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gw.uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return gw.request(b);
  }

  @Test
  void postIsNotRetriedWithoutAnIdempotencyKey() {
    startWith("{ url: \"${env:A}\", breaker: off }", "2s");
    a.on("/items", FakeUpstream.json(503, "{}"));
    assertThat(post("/post/1", null).statusCode()).isEqualTo(502);
    assertThat(a.count("/items")).isEqualTo(1);
    a.on("/items", FakeUpstream.reset());
    assertThat(post("/post/2", null).statusCode()).isEqualTo(502);
    assertThat(a.count("/items/2"))
        .as("a reset POST may have been applied: never resent")
        .isEqualTo(1);
  }

  @Test
  void postWithAnIdempotencyKeyIsRetriedCarryingTheSameKey() {
    startWith("{ url: \"${env:A}\", breaker: off }", "2s");
    a.on(
        "/items",
        FakeUpstream.sequence(FakeUpstream.json(503, "{}"), FakeUpstream.json("{\"id\":1}")));
    assertThat(post("/post/1", "k-123").statusCode()).isEqualTo(200);
    assertThat(a.received())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.headers().get("idempotency-key")).isEqualTo("k-123"));
  }

  @Test
  void putIsRetriedOnlyWhenListedInMethods() {
    startWith("{ url: \"${env:A}\", breaker: off }", "2s");
    a.on("/items", FakeUpstream.json(503, "{}"));
    gw.request(HttpRequest.newBuilder(gw.uri("/put/1")).PUT(HttpRequest.BodyPublishers.noBody()));
    assertThat(a.count("/items/1")).isEqualTo(1);
    gw.close();
    startWith("{ url: \"${env:A}\", breaker: off, retry: { methods: [GET, PUT] } }", "2s");
    gw.request(HttpRequest.newBuilder(gw.uri("/put/2")).PUT(HttpRequest.BodyPublishers.noBody()));
    assertThat(a.count("/items/2")).isEqualTo(2);
  }

  @Test
  void connectFailureIsRetriedForAnyMethodBecauseNothingWasSent() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    startWith("{ url: \"http://127.0.0.1:" + port + "\", breaker: off }", "2s");
    assertThat(post("/post/1", null).statusCode()).isEqualTo(502);
    assertThat(gw.gateway.resilience().retryCount("a")).isEqualTo(1);
  }

  /** A source whose every draw is 0.5, so each wait is half its exponential ceiling. */
  private static final RandomGenerator HALF = () -> Long.MIN_VALUE;

  @Test
  void backOffIsExponentialWithFullJitterFromTheInjectedSource() {
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", breaker: off, retry: { attempts: 4, backoff: 100ms, maxBackoff: 300ms } }
          b: { url: "${env:B}" }
        """
            + ROUTES.formatted("5s"),
        clock,
        o -> o.withRandom(HALF));
    a.on(
        "/items",
        FakeUpstream.sequence(
            FakeUpstream.json(503, "{}"),
            FakeUpstream.json(503, "{}"),
            FakeUpstream.json(503, "{}"),
            FakeUpstream.json("{\"id\":1}")));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/get/1");
    // Ceilings 100ms, 200ms, then 400ms capped to 300ms; half of each.
    for (long wait : new long[] {50, 100, 150}) {
      a.awaitRequests(1);
      clock.awaitTimerDueIn(Duration.ofMillis(wait));
      long before = a.count("/items");
      clock.advance(Duration.ofMillis(wait - 1));
      assertThat(a.count("/items")).as("still waiting " + wait + "ms").isEqualTo(before);
      clock.advance(Duration.ofMillis(1));
    }
    a.awaitRequests(1);
    assertThat(gw.await(pending).statusCode()).isEqualTo(200);
    assertThat(a.count("/items")).isEqualTo(4);
  }

  @Test
  void noRetryWhoseWaitWouldEndPastTheDeadline() {
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", breaker: off, retry: { attempts: 3, backoff: 1s, maxBackoff: 1s } }
          b: { url: "${env:B}" }
        """
            + ROUTES.formatted("400ms"),
        clock,
        o -> o.withRandom(HALF));
    a.on("/items", FakeUpstream.json(503, "{}"));
    // Answered without moving the clock: the 500ms wait would end after the 400ms deadline.
    assertThat(gw.get("/get/1").statusCode()).isEqualTo(502);
    assertThat(a.count("/items")).isEqualTo(1);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void eachAttemptCarriesItsRemainingTimeInTheDeadlineHeader() {
    startWith("{ url: \"${env:A}\", timeout: 300ms, breaker: off }", "500ms");
    a.on("/items", a.stall());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/get/1");
    a.awaitRequests(1);
    assertThat(a.received().get(0).headers().get("x-request-timeout-ms")).isEqualTo("300");
    clock.advance(Duration.ofMillis(300));
    a.awaitRequests(1);
    // The retry has only 200ms of the route's 500ms left, less than its 300ms timeout.
    assertThat(a.received().get(1).headers().get("x-request-timeout-ms")).isEqualTo("200");
    clock.advance(Duration.ofMillis(200));
    assertThat(gw.await(pending).statusCode()).isEqualTo(504);
  }

  @Test
  void deadlineHeaderNameIsConfigurableAndCanBeSwitchedOff() {
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", deadlineHeader: X-Budget-Ms }
          b: { url: "${env:B}", deadlineHeader: "off" }
        """
            + ROUTES.formatted("2s"));
    a.on("/first", FakeUpstream.json("{\"id\":\"7\"}"));
    b.on("/second", FakeUpstream.json("{}"));
    assertThat(gw.get("/two/1").statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).headers().get("x-budget-ms")).isEqualTo("500");
    assertThat(a.received().get(0).headers().contains("x-request-timeout-ms")).isFalse();
    assertThat(b.received().get(0).headers().names())
        .noneMatch(h -> h.toLowerCase().contains("timeout"));
  }

  @Test
  void aCallWithNoTimeLeftIsNeverSent() {
    startWith("{ url: \"${env:A}\" }", "2s");
    a.on("/first", a.stall());
    b.on("/second", FakeUpstream.json("{}"));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/two/1");
    a.awaitRequests(1);
    clock.advance(Duration.ofNanos(499_600_000L)); // 0.4ms before the 500ms deadline
    a.releaseStalled("{\"id\":\"7\"}");
    HttpResponse<String> r = gw.await(pending);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("second");
    assertThat(b.received()).as("less than 1ms left: not sent").isEmpty();
  }
}
