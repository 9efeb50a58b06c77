package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * maxConcurrent and a bounded queue: beyond them a call fails at once, never queues without bound.
 */
class BulkheadTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}", timeout: 1s, maxConcurrent: 2, maxQueue: 1, retry: { attempts: 1 }, breaker: off }
      experiences:
        web:
          routes:
            GET /crit/{id}:
              steps:
                item: { upstream: a, path: "/items/{id}" }
            GET /opt/{id}:
              steps:
                item: { upstream: a, path: "/items/{id}", optional: { busy: true } }
      """;

  @Test
  void beyondConcurrencyAndQueueCallsFailFastIntoFallbackOr503() {
    start(CONFIG);
    a.on("/items", a.stall());
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    held.add(gw.getAsync("/crit/1"));
    held.add(gw.getAsync("/crit/2"));
    a.awaitRequests(2);
    held.add(gw.getAsync("/crit/3")); // waits in the queue
    clock.awaitPendingTimers(
        3 + 2 + 1); // three route deadlines, two attempt timers, one queue timer

    HttpResponse<String> refused = gw.get("/crit/4");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    HttpResponse<String> degraded = gw.get("/opt/5");
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.body()).contains("\"busy\":true");
    assertThat(a.received()).as("the queued call has not been sent").hasSize(2);
    assertThat(gw.gateway.resilience().rejectionCount("a", Rejection.BULKHEAD_FULL)).isEqualTo(2);

    // Answers free slots: the queued call goes out and everything completes.
    a.releaseStalled("{\"ok\":true}");
    a.awaitRequests(1);
    a.releaseStalled("{\"ok\":true}");
    for (CompletableFuture<HttpResponse<String>> f : held) {
      assertThat(gw.await(f).statusCode()).isEqualTo(200);
    }
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aQueuedCallGivesUpWhenItsAttemptTimeRunsOut() {
    start(CONFIG);
    a.on("/items", a.stall());
    CompletableFuture<HttpResponse<String>> first = gw.getAsync("/opt/1");
    CompletableFuture<HttpResponse<String>> second = gw.getAsync("/opt/2");
    a.awaitRequests(2);
    CompletableFuture<HttpResponse<String>> queued = gw.getAsync("/opt/3");
    clock.awaitPendingTimers(
        3 + 2 + 1); // three route deadlines, two attempt timers, one queue timer
    clock.advance(Duration.ofMillis(600));
    a.releaseStalled("{\"ok\":true}"); // slots free up 600ms in: the queued call has 400ms left
    a.awaitRequests(1);
    assertThat(a.received().get(2).headers().get("x-request-timeout-ms")).isEqualTo("400");
    assertThat(gw.await(first).body()).doesNotContain("busy");
    assertThat(gw.await(second).body()).doesNotContain("busy");
    clock.advance(Duration.ofMillis(400));
    assertThat(gw.await(queued).body()).as("its remaining 400ms ran out").contains("\"busy\":true");
  }
}
