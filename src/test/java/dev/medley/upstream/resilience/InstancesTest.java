package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One upstream over several instances (the fakes a, b and c): balancing, retries that move to
 * another instance, ejection with growing back-off, and the maxPercent cap on ejections.
 */
class InstancesTest extends GatewayTest {
  private static String config(String urls, String extra) {
    return """
        version: 1
        upstreams:
          pool: { urls: %s, coalesce: false%s }
        experiences:
          web:
            routes:
              GET /i/{id}:
                steps:
                  item: { upstream: pool, path: "/items/{id}", optional: null }
        """
        .formatted(urls, extra);
  }

  private static final String ABC = "[\"${env:A}\", \"${env:B}\", \"${env:C}\"]";
  private static final String AB = "[\"${env:A}\", \"${env:B}\"]";

  private void allAnswer() {
    for (FakeUpstream f : List.of(a, b, c)) {
      f.on("/items", FakeUpstream.json("{\"ok\":true}"));
    }
  }

  private void get(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(gw.get("/i/" + i).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void roundRobinSpreadsCallsEvenly() {
    start(config(ABC, ""));
    allAnswer();
    get(9);
    assertThat(List.of(a.count("/items"), b.count("/items"), c.count("/items")))
        .containsExactly(3L, 3L, 3L);
  }

  @Test
  void leastRequestPrefersTheInstanceWithFewestCallsInFlight() {
    start(config(ABC, ", balance: leastRequest"));
    for (FakeUpstream f : List.of(a, b, c)) {
      f.on("/items", f.stall());
    }
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(gw.getAsync("/i/" + i));
    }
    a.awaitRequests(1);
    b.awaitRequests(1);
    c.awaitRequests(1);
    b.releaseStalled("{\"ok\":true}");
    gw.await(CompletableFuture.anyOf(held.toArray(CompletableFuture[]::new)));
    // b is the only idle instance now: the next call goes there, whatever the rotation says.
    a.on("/items", FakeUpstream.json("{}"));
    b.on("/items", FakeUpstream.json("{}"));
    c.on("/items", FakeUpstream.json("{}"));
    get(1);
    assertThat(b.count("/items")).isEqualTo(2);
    a.releaseStalled("{}");
    c.releaseStalled("{}");
    held.forEach(f -> assertThat(gw.await(f).statusCode()).isEqualTo(200));
  }

  @Test
  void aRetryMovesToTheNextInstance() {
    start(config(AB, ", breaker: off"));
    a.on("/items", FakeUpstream.reset());
    b.on("/items", FakeUpstream.json("{\"from\":\"b\"}"));
    HttpResponse<String> r = gw.get("/i/1");
    assertThat(r.body()).as("a=" + a.received() + " b=" + b.received()).contains("\"from\":\"b\"");
    assertThat(r.headers().firstValue("x-medley-partial")).isEmpty();
    assertThat(a.count("/items")).isEqualTo(1);
    assertThat(b.count("/items")).isEqualTo(1);
  }

  @Test
  void aFailingInstanceIsEjectedWithBackOffThatDoublesOnRepeat() {
    start(
        config(
            AB,
            ", retry: { attempts: 1 }, breaker: { consecutiveFailures: 2, halfOpenCalls: 1 },"
                + " ejection: { time: 30s, maxTime: 5m }"));
    a.on("/items", FakeUpstream.json("{}"));
    b.on("/items", FakeUpstream.json(503, "{}"));
    get(4); // b fails twice: ejected
    assertThat(gw.gateway.resilience().state("pool", "127.0.0.1:" + b.port()))
        .isEqualTo(BreakerState.OPEN);
    get(10);
    assertThat(b.count("/items")).isEqualTo(2);
    assertThat(a.count("/items")).isEqualTo(12);

    clock.advance(Duration.ofMillis(30_001)); // first ejection over: one probe, which fails
    get(4);
    assertThat(b.count("/items")).isEqualTo(3);
    clock.advance(Duration.ofMillis(30_001)); // the second ejection lasts 60s
    get(4);
    assertThat(b.count("/items")).isEqualTo(3);
    clock.advance(Duration.ofMillis(30_000));
    b.on("/items", FakeUpstream.json("{}"));
    get(4); // the probe succeeds: b is back in rotation
    assertThat(gw.gateway.resilience().state("pool", "127.0.0.1:" + b.port()))
        .isEqualTo(BreakerState.CLOSED);
    long back = b.count("/items");
    get(4);
    assertThat(b.count("/items") - back).as("half of the calls again").isEqualTo(2);
  }

  @Test
  void neverMoreThanMaxPercentOfInstancesAreEjected() {
    // Two of three instances fail; 50% of 3 allows one ejection, so the second stays in rotation.
    start(
        config(
            ABC,
            ", retry: { attempts: 1 }, breaker: { consecutiveFailures: 3, failureRate: 100% },"
                + " ejection: { maxPercent: 50% }"));
    a.on("/items", FakeUpstream.json(503, "{}"));
    b.on("/items", FakeUpstream.json(503, "{}"));
    c.on("/items", FakeUpstream.json("{}"));
    for (int i = 0; i < 9; i++) {
      gw.get("/i/" + i);
    }
    String ia = "127.0.0.1:" + a.port();
    String ib = "127.0.0.1:" + b.port();
    ResilienceEvents ev = gw.gateway.resilience();
    assertThat(ev.state("pool", ia)).isEqualTo(BreakerState.OPEN);
    assertThat(ev.state("pool", ib)).isEqualTo(BreakerState.OPEN);
    long before = b.count("/items");
    long cBefore = c.count("/items");
    for (int i = 0; i < 10; i++) {
      gw.get("/i/" + i);
    }
    assertThat(a.count("/items")).as("ejected first, stays out").isEqualTo(3);
    // b takes its own turns and a's (the next instance in the rotation): it is kept in, not
    // ejected.
    assertThat(b.count("/items") - before).as("over the cap: kept in rotation").isBetween(6L, 7L);
    assertThat(b.count("/items") - before + c.count("/items") - cBefore)
        .as("every call served")
        .isEqualTo(10);
    assertThat(ev.rejectionCount("pool", Rejection.NO_INSTANCE)).isZero();
  }
}
