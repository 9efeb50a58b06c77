package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bounded load run on loopback over two routes of the same shape: a critical step on {@code a}
 * and an optional one on {@code b} ({@code /dead}) or on its healthy twin {@code c} ({@code
 * /healthy}). After a warm-up with everything healthy, {@code b} goes dead (accepts, never answers)
 * and its breaker opens; then the two routes are measured in alternating chunks, so that load from
 * other processes hits both alike. With the breaker open, the dead route must keep at least 80% of
 * the healthy route's throughput, and after 20,000 requests no connection, file descriptor or timer
 * may be left over.
 *
 * <p>Tagged {@code load}: not part of {@code ./mvnw verify}; {@code bench/load.sh} runs it.
 */
@Tag("load")
class LoadTest extends GatewayTest {
  private static final int CONCURRENCY = 16;
  private static final int WARMUP = 2_000;
  private static final int TRIP = 5;
  private static final int CHUNK = 1_000;
  private static final int ROUNDS = 9;

  private Vertx loadVertx;

  /**
   * Twenty thousand requests on a shared two-core machine: the OS may deschedule an event loop for
   * a few hundred milliseconds, which the checker cannot tell from blocking. One second still
   * catches real blocking work (a synchronous lookup, a file read) on the request path.
   */
  @Override
  protected long blockedThreadLimitMillis() {
    return 1_000;
  }

  private HttpClient load;
  private final AtomicInteger unexpected = new AtomicInteger();

  /**
   * Sends {@code n} GETs to {@code route}, {@link #CONCURRENCY} at a time; returns the nanoseconds
   * it took.
   */
  private long run(String route, int n, boolean partialExpected) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger started = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int i = 0; i < CONCURRENCY; i++) {
      next(route, n, started, done, partialExpected);
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).as("load run finished in time").isTrue();
    return System.nanoTime() - t0;
  }

  private void next(
      String route, int n, AtomicInteger started, CountDownLatch done, boolean partialExpected) {
    int i = started.getAndIncrement();
    if (i >= n) {
      return;
    }
    load.request(HttpMethod.GET, gw.gateway.port(), "127.0.0.1", route + (i % 100))
        .compose(
            req ->
                req.send()
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    body ->
                                        resp.statusCode() == 200
                                            && partialExpected
                                                == "extra"
                                                    .equals(resp.getHeader("x-medley-partial")))))
        .recover(t -> Future.succeededFuture(false))
        .onComplete(
            ar -> {
              if (!ar.result()) {
                unexpected.incrementAndGet();
              }
              done.countDown();
              next(route, n, started, done, partialExpected);
            });
  }

  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  @Test
  void deadOptionalUpstreamWithOpenBreakerKeepsThroughputAndLeaksNothing() throws Exception {
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}", maxConnections: 8 }
          b: { url: "${env:B}", timeout: 200ms, maxConnections: 8, retry: { attempts: 1 }, breaker: { consecutiveFailures: 5, openFor: 30s } }
          c: { url: "${env:C}", timeout: 200ms, maxConnections: 8, retry: { attempts: 1 }, breaker: { consecutiveFailures: 5, openFor: 30s } }
        experiences:
          web:
            routes:
              GET /dead/{id}:
                deadline: 1s
                steps:
                  main: { upstream: a, path: "/main/{id}" }
                  extra: { upstream: b, path: "/extra/{id}", optional: { none: true } }
                response: { id: main.id, extra: extra }
              GET /healthy/{id}:
                deadline: 1s
                steps:
                  main: { upstream: a, path: "/main/{id}" }
                  extra: { upstream: c, path: "/extra/{id}", optional: { none: true } }
                response: { id: main.id, extra: extra }
        """);
    a.on("/main", FakeUpstream.json("{\"id\":1}"));
    b.on("/extra", FakeUpstream.json("{\"more\":true}"));
    c.on("/extra", FakeUpstream.json("{\"more\":true}"));
    // The load generator has its own event loops, so it does not compete with the gateway's.
    loadVertx = Harness.vertx(new VertxOptions());
    load =
        loadVertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONCURRENCY));

    run("/dead/", WARMUP / 2, false);
    run("/healthy/", WARMUP / 2, false);
    int fdsBefore = openFds();

    // b dies: it accepts and never answers. Five timed-out calls open its breaker.
    b.awaitRequests(WARMUP / 2); // consume the healthy arrivals, so the wait below counts new ones
    b.on("/extra", b.stall());
    CountDownLatch tripped = new CountDownLatch(TRIP);
    for (int i = 0; i < TRIP; i++) {
      gw.getAsync("/dead/" + i).thenRun(tripped::countDown);
    }
    b.awaitRequests(TRIP);
    clock.awaitPendingTimers(TRIP * 2);
    clock.advance(Duration.ofMillis(200));
    assertThat(tripped.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gw.gateway.resilience().state("b", null)).isEqualTo(BreakerState.OPEN);

    long healthyNanos = 0;
    long deadNanos = 0;
    for (int round = 0; round < ROUNDS; round++) {
      healthyNanos += run("/healthy/", CHUNK, false);
      deadNanos += run("/dead/", CHUNK, true);
    }
    int total = WARMUP + TRIP + 2 * ROUNDS * CHUNK;
    double healthyRps = ROUNDS * CHUNK / (healthyNanos / 1e9);
    double deadRps = ROUNDS * CHUNK / (deadNanos / 1e9);
    System.out.printf(
        "load: %d requests; healthy route %.0f req/s, route with dead upstream + open breaker %.0f req/s,"
            + " ratio %.2f%n",
        total, healthyRps, deadRps, deadRps / healthyRps);
    assertThat(total).isGreaterThanOrEqualTo(20_000);
    assertThat(unexpected.get())
        .as("answers that were not 200 with the expected partial marker")
        .isZero();
    assertThat(deadRps)
        .as("throughput with the breaker open vs healthy")
        .isGreaterThanOrEqualTo(0.8 * healthyRps);
    assertThat(b.count("/extra"))
        .as("no call reached dead b once its breaker opened")
        .isEqualTo(WARMUP / 2 + TRIP);

    // Nothing left over after 20,000 requests.
    assertThat(clock.pendingTimers()).as("pending timers").isZero();
    // The five timed-out connections were reset, not parked; the rest are idle pooled ones.
    assertThat(b.acceptedConnections()).as("connections to b").isLessThanOrEqualTo(8);
    b.awaitOpenConnectionsAtMost(b.acceptedConnections() - TRIP);
    assertThat(a.openConnections()).as("gateway -> a connections").isLessThanOrEqualTo(8);
    assertThat(a.acceptedConnections())
        .as("connections to a were reused, not churned")
        .isLessThanOrEqualTo(8);
    assertThat(c.acceptedConnections())
        .as("connections to c were reused, not churned")
        .isLessThanOrEqualTo(8);
    int fdsAfter = openFds();
    System.out.printf(
        "load: open file descriptors %d after the warm-up, %d after all requests%n",
        fdsBefore, fdsAfter);
    assertThat(fdsAfter).as("open file descriptors").isLessThanOrEqualTo(fdsBefore);
    load.close().await(10, TimeUnit.SECONDS);
    loadVertx.close().await(10, TimeUnit.SECONDS);
  }
}
