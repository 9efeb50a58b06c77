package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every way an upstream can fail, on real sockets, each with the outcome a client sees. Defaults
 * apply unless a case says otherwise: GET retries once on connect failures, resets, timeouts and
 * 502/503/504 (with no jitter in tests); breakers are off here so each case stands alone.
 */
class FaultSuiteTest extends GatewayTest {
  /** Upstream {@code a} at {@code url}, a critical and an optional route over it. */
  private static String config(String url, String upstreamExtra, String deadline) {
    return """
        version: 1
        upstreams:
          a: { url: "%s", timeout: 300ms, breaker: off%s }
        experiences:
          web:
            routes:
              GET /crit/{id}:
                deadline: %s
                steps:
                  item: { upstream: a, path: "/items/{id}" }
              GET /opt/{id}:
                deadline: %s
                steps:
                  item: { upstream: a, path: "/items/{id}", optional: { missing: true } }
        """
        .formatted(url, upstreamExtra, deadline, deadline);
  }

  private void startA(String upstreamExtra) {
    start(config("${env:A}", upstreamExtra, "2s"));
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private long retries() {
    return gw.gateway.resilience().retryCount("a");
  }

  private static void assertBadGateway(HttpResponse<String> r, String detail) {
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).get("detail").asText()).contains(detail);
  }

  private static void assertFallback(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString()).isEqualTo("{\"item\":{\"missing\":true},\"_partial\":true}");
    assertThat(r.headers().firstValue("x-medley-partial")).hasValue("item");
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void connectionRefusedIsRetriedOnceThenA502OrTheFallback() {
    start(config("http://127.0.0.1:" + closedPort(), "", "2s"));
    assertBadGateway(gw.get("/crit/1"), "could not connect to upstream 'a'");
    assertThat(retries()).isEqualTo(1);
    assertFallback(gw.get("/opt/1"));
    assertThat(retries()).isEqualTo(2);
  }

  @Test
  void resetMidBodyIsRetriedForGetAndFailsWhenItPersists() {
    startA("");
    a.on("/items", FakeUpstream.truncateMidBody());
    assertBadGateway(gw.get("/crit/1"), "connection to upstream 'a' broke");
    assertThat(a.count("/items/1")).isEqualTo(2);
    // A reset followed by a good answer is invisible to the client.
    a.on(
        "/items",
        FakeUpstream.sequence(FakeUpstream.truncateMidBody(), FakeUpstream.json("{\"id\":2}")));
    HttpResponse<String> r = gw.get("/crit/2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString()).isEqualTo("{\"item\":{\"id\":2}}");
  }

  @Test
  void stallAfterHeadersTimesOutEachTryAndClosesTheConnection() {
    startA("");
    a.on("/items", FakeUpstream.stallAfterHeaders());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/crit/1");
    a.awaitRequests(1);
    clock.advance(Duration.ofMillis(300));
    a.awaitRequests(1); // the retry
    clock.advance(Duration.ofMillis(300));
    assertBadGateway(gw.await(pending), "did not answer within 300ms");
    // Both half-answered connections were reset, not returned to the pool.
    a.awaitOpenConnectionsAtMost(0);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void slowDripIsCutByThePerTryTimeoutEvenThoughBytesKeepArriving() {
    startA(", retry: { attempts: 1 }");
    a.on("/items", a.dripping());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/opt/1");
    a.awaitRequests(1);
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofMillis(140));
      a.drip();
    }
    assertThat(pending).isNotDone();
    clock.advance(Duration.ofMillis(20)); // 300ms since the call: a total, not an idle, timeout
    assertFallback(gw.await(pending));
    assertThat(a.count("/items")).isEqualTo(1);
  }

  @Test
  void garbageBodyIsABadBodyAndIsNotRetried() {
    startA("");
    a.on("/items", FakeUpstream.garbage());
    assertBadGateway(gw.get("/crit/1"), "answered something that is not JSON");
    assertThat(a.count("/items")).isEqualTo(1);
  }

  @Test
  void garbageInsteadOfHttpIsABrokenConnectionAndIsRetried() throws Exception {
    java.util.concurrent.atomic.AtomicInteger connections =
        new java.util.concurrent.atomic.AtomicInteger();
    NetServer counted =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  connections.incrementAndGet();
                  s.write(Buffer.buffer("\u0013\u0037 not http at all\r\n\r\n"));
                });
    int port = counted.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    start(config("http://127.0.0.1:" + port, "", "2s"));
    assertBadGateway(gw.get("/crit/1"), "connection to upstream 'a' broke");
    assertThat(connections.get()).isEqualTo(2);
    assertFallback(gw.get("/opt/1"));
    counted.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void truncatedJsonIsABadBodyAndIsNotRetried() {
    startA("");
    a.on("/items", FakeUpstream.truncatedJson());
    assertFallback(gw.get("/opt/1"));
    assertThat(a.count("/items")).isEqualTo(1);
  }

  @Test
  void burstOf503sIsRiddenOutByRetriesWhile500IsNot() {
    startA(", retry: { attempts: 3 }");
    a.on(
        "/items/1",
        FakeUpstream.sequence(
            FakeUpstream.json(503, "{}"),
            FakeUpstream.json(503, "{}"),
            FakeUpstream.json("{\"id\":1}")));
    HttpResponse<String> r = gw.get("/crit/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.count("/items/1")).isEqualTo(3);
    // 500 is not retried by default: it is usually a bug that answers the same way every time.
    a.on(
        "/items/2",
        FakeUpstream.sequence(FakeUpstream.json(500, "{}"), FakeUpstream.json("{\"id\":2}")));
    assertBadGateway(gw.get("/crit/2"), "answered 500");
    assertThat(a.count("/items/2")).isEqualTo(1);
    assertThat(json(gw.get("/crit/2")).toString()).isEqualTo("{\"item\":{\"id\":2}}");
    // A burst longer than the attempts fails the call, after exactly `attempts` tries.
    a.on("/items/3", FakeUpstream.json(503, "{}"));
    assertFallback(gw.get("/opt/3"));
    assertThat(a.count("/items/3")).isEqualTo(3);
  }

  private static FakeUpstream.Behaviour tooManyRequests(String retryAfter) {
    return (req, body) ->
        req.response()
            .setStatusCode(429)
            .putHeader("retry-after", retryAfter)
            .putHeader("content-type", "application/json")
            .end("{}");
  }

  @Test
  void status429IsNotRetriedUnlessListed() {
    startA("");
    a.on("/items", tooManyRequests("1"));
    assertBadGateway(gw.get("/crit/1"), "answered 429");
    assertThat(a.count("/items")).isEqualTo(1);
  }

  @Test
  void status429WithRetryAfterWaitsAsAskedWhenTheDeadlineAllows() {
    start(config("${env:A}", ", retry: { attempts: 2, on: [429, 503] }", "3s"));
    a.on("/items", FakeUpstream.sequence(tooManyRequests("1"), FakeUpstream.json("{\"id\":1}")));
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/crit/1");
    a.awaitRequests(1);
    clock.awaitTimerDueIn(Duration.ofSeconds(1)); // the retry's wait is scheduled
    clock.advance(Duration.ofMillis(999));
    assertThat(a.count("/items")).as("Retry-After: 1 is honoured").isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    a.awaitRequests(1);
    assertThat(gw.await(pending).statusCode()).isEqualTo(200);
  }

  @Test
  void status429WithRetryAfterPastTheDeadlineIsNotRetried() {
    start(config("${env:A}", ", retry: { attempts: 2, on: [429] }", "800ms"));
    a.on("/items", FakeUpstream.sequence(tooManyRequests("1"), FakeUpstream.json("{\"id\":1}")));
    // Answered at once, without moving the clock: waiting 1s would end after the 800ms deadline.
    assertBadGateway(gw.get("/crit/1"), "answered 429");
    assertThat(a.count("/items")).isEqualTo(1);
    assertThat(retries()).isZero();
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void unresolvableHostFailsFastAsAConnectFailure() {
    // .invalid is reserved (RFC 6761): resolvers answer "no such name" without asking the network.
    start(config("http://upstream.medley.invalid:9101", "", "2s"));
    long t0 = System.nanoTime();
    assertBadGateway(gw.get("/crit/1"), "could not connect to upstream 'a'");
    assertFallback(gw.get("/opt/1"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms).as("two lookups and their retries, in ms").isLessThan(2_000);
    assertThat(retries()).isEqualTo(2);
  }
}
