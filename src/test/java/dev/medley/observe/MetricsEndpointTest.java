package dev.medley.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.Problem;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Prometheus;
import io.vertx.core.Future;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the admin port after real traffic: the series an operator dashboards on.
 */
class MetricsEndpointTest extends GatewayTest {
  private static final String TOKEN = "s3cret";
  private static final String ROUTE = "GET /web/v2/p/{id}";
  private static final String CONFIG =
      """
      version: 1
      server:
        admin: { token: %s }
      observe:
        accessLog: { target: none }
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
        c: { url: "${env:C}", timeout: 100ms, retry: { attempts: 1 } }
      experiences:
        web:
          basePath: /web
          routes:
            GET /v2/p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                price: { upstream: b, path: "/prices/{id}", optional: null }
              response: { name: product.name, price: price }
            GET /v1/slow/{id}:
              steps:
                slow: { upstream: c, path: "/slow/{id}", optional: null }
      """
          .formatted(TOKEN);

  /**
   * Stands in for the rate limiter (another module): refuses requests marked x-test-limit with 429.
   */
  private static final Function<Metrics, EdgeFilter> TEST_LIMITER =
      metrics ->
          (req, next) -> {
            if (req.headers().contains("x-test-limit")) {
              metrics.rateLimited(req.route().experience());
              return Future.succeededFuture(
                  Problem.reply(429, "rate-limited", "Too Many Requests", "test limit", req));
            }
            return next.handle(req);
          };

  private Prometheus scrape() {
    HttpResponse<String> r = gw.admin("/metrics", TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    return Prometheus.parse(r.body());
  }

  private static Map<String, String> web(String statusClass) {
    return Map.of(
        "experience", "web", "route", ROUTE, "version", "v2", "status_class", statusClass);
  }

  @Test
  void mixedRunIsCountedByRouteVersionAndStatusClass() {
    start(CONFIG, o -> o.withRouteFilters(List.of(TEST_LIMITER)));
    a.on("/products/1", a.stall());
    a.on("/products/2", FakeUpstream.json("{\"name\":\"Hat\"}"));
    a.on("/products/3", FakeUpstream.json(500, "{}"));
    b.on("/prices/1", FakeUpstream.json("12"));
    b.on("/prices/2", FakeUpstream.json(500, "{}"));
    b.on("/prices/3", FakeUpstream.json("12"));

    // success, taking 40ms of (manual) time in the product call
    CompletableFuture<HttpResponse<String>> slow = gw.getAsync("/web/v2/p/1");
    a.awaitRequests(1);
    clock.advance(Duration.ofMillis(40));
    a.releaseStalled("{\"name\":\"Shoe\"}");
    assertThat(gw.await(slow).statusCode()).isEqualTo(200);
    // partial: the optional price fails
    HttpResponse<String> partial = gw.get("/web/v2/p/2");
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(partial.headers().firstValue("x-medley-partial")).hasValue("price");
    // 502: the critical product fails
    assertThat(gw.get("/web/v2/p/3").statusCode()).isEqualTo(502);
    // 429 from the stand-in limiter, which calls Metrics.rateLimited
    assertThat(
            gw.request(HttpRequest.newBuilder(gw.uri("/web/v2/p/4")).header("x-test-limit", "1"))
                .statusCode())
        .isEqualTo(429);
    // 404: no route
    assertThat(gw.get("/web/nowhere").statusCode()).isEqualTo(404);

    Prometheus m = scrape();
    assertThat(m.value("medley_requests_total", web("2xx"))).isEqualTo(2.0);
    assertThat(m.value("medley_requests_total", web("5xx"))).isEqualTo(1.0);
    assertThat(m.value("medley_requests_total", web("4xx"))).isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_requests_total",
                Map.of(
                    "experience",
                    "none",
                    "route",
                    "unmatched",
                    "version",
                    "none",
                    "status_class",
                    "4xx")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_responses_partial_total",
                Map.of("experience", "web", "route", ROUTE, "version", "v2")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_rate_limited_total", Map.of("experience", "web"))).isEqualTo(1.0);
    assertThat(m.value("medley_requests_in_flight", Map.of())).isEqualTo(0.0);

    // latency: a histogram whose buckets give p50/p95/p99 (one answer at 0ms, one at 40ms)
    assertThat(m.value("medley_request_duration_seconds_count", web("2xx"))).isEqualTo(2.0);
    assertThat(m.value("medley_request_duration_seconds_sum", web("2xx"))).isEqualTo(0.04);
    assertThat(m.find("medley_request_duration_seconds_bucket", web("2xx"))).hasSize(16);
    assertThat(m.quantile("medley_request_duration_seconds", web("2xx"), 0.5))
        .isLessThanOrEqualTo(0.0005);
    assertThat(m.quantile("medley_request_duration_seconds", web("2xx"), 0.95))
        .isBetween(0.025, 0.05);
    assertThat(m.quantile("medley_request_duration_seconds", web("2xx"), 0.99))
        .isBetween(0.025, 0.05);

    // per step, by outcome
    Map<String, String> product =
        Map.of("experience", "web", "route", ROUTE, "step", "product", "outcome", "ok");
    assertThat(m.value("medley_step_duration_seconds_count", product)).isEqualTo(2.0);
    assertThat(m.value("medley_step_duration_seconds_sum", product)).isEqualTo(0.04);
    assertThat(
            m.value(
                "medley_step_duration_seconds_count",
                Map.of(
                    "experience", "web", "route", ROUTE, "step", "product", "outcome", "failed")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_step_duration_seconds_count",
                Map.of(
                    "experience", "web", "route", ROUTE, "step", "price", "outcome", "degraded")))
        .isEqualTo(1.0);

    // per upstream attempt, by outcome
    assertThat(m.value("medley_upstream_attempts_total", Map.of("upstream", "a", "outcome", "2xx")))
        .isEqualTo(2.0);
    assertThat(m.value("medley_upstream_attempts_total", Map.of("upstream", "a", "outcome", "5xx")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_upstream_attempts_total", Map.of("upstream", "b", "outcome", "5xx")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_upstream_duration_seconds_sum", Map.of("upstream", "a", "outcome", "2xx")))
        .isEqualTo(0.04);
    assertThat(
            m.quantile(
                "medley_upstream_duration_seconds",
                Map.of("upstream", "a", "outcome", "2xx"),
                0.99))
        .isBetween(0.025, 0.05);
    assertThat(m.quantile("medley_step_duration_seconds", product, 0.99)).isBetween(0.025, 0.05);

    // the process itself
    assertThat(m.has("jvm_memory_used_bytes")).isTrue();
    assertThat(m.has("jvm_threads_live_threads")).isTrue();
    assertThat(m.has("process_cpu_usage")).isTrue();
    assertThat(m.find("medley_eventloop_pending_tasks", Map.of("loop", "0"))).hasSize(1);
    assertThat(m.has("medley_eventloop_lag_seconds_count")).isTrue();
  }

  /**
   * Every request-path series (route, status class, step outcome, attempt outcome, timeouts,
   * retries, breaker) after a fixed run on the manual clock, line by line against a scrape kept
   * from the Micrometer-only implementation: names, labels, help texts, bucket bounds and values
   * must not move when the way they are recorded changes.
   */
  @Test
  void requestPathSeriesMatchTheKeptExpositionLineForLine() throws Exception {
    start(
        CONFIG.replace(
            "b: { url: \"${env:B}\" }",
            "b: { url: \"${env:B}\", retry: { attempts: 2 }, breaker: { consecutiveFailures: 2 } }"));
    a.on("/products/1", a.stall());
    a.on("/products/2", FakeUpstream.json("{\"name\":\"Hat\"}"));
    a.on("/products/3", FakeUpstream.json(500, "{}"));
    b.on("/prices/1", b.stall());
    b.on("/prices/2", FakeUpstream.json(503, "{}"));
    b.on("/prices/3", FakeUpstream.json("12"));
    c.on("/slow", c.stall());

    CompletableFuture<HttpResponse<String>> slow = gw.getAsync("/web/v2/p/1");
    a.awaitRequests(1);
    b.awaitRequests(1);
    clock.advance(Duration.ofMillis(40));
    a.releaseStalled("{\"name\":\"Shoe\"}");
    b.releaseStalled("12");
    assertThat(gw.await(slow).statusCode()).isEqualTo(200);
    // the price fails twice (a retry), which opens b's breaker: partial
    assertThat(gw.get("/web/v2/p/2").headers().firstValue("x-medley-partial")).hasValue("price");
    assertThat(gw.get("/web/v2/p/3").statusCode()).isEqualTo(502);
    assertThat(gw.get("/web/nowhere").statusCode()).isEqualTo(404);
    CompletableFuture<HttpResponse<String>> cut = gw.getAsync("/web/v1/slow/1");
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(gw.await(cut).statusCode()).isEqualTo(200);

    HttpResponse<String> r = gw.admin("/metrics", TOKEN);
    List<String> actual =
        r.body()
            .lines()
            .filter(l -> l.replaceFirst("^# (HELP|TYPE) ", "").startsWith("medley_"))
            .filter(l -> !l.contains("medley_eventloop_") && !l.contains("medley_access_log"))
            .sorted()
            .toList();
    java.nio.file.Path kept =
        java.nio.file.Path.of("src/test/resources/observe/request-path-exposition.prom");
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
    java.nio.file.Files.write(
        java.nio.file.Path.of("target/request-path-exposition.actual.prom"), actual);
    assertThat(actual).containsExactlyElementsOf(java.nio.file.Files.readAllLines(kept));
  }

  @Test
  void retriesAndBreakerTransitionsAreCountedPerUpstream() {
    start(
        CONFIG.replace(
            "b: { url: \"${env:B}\" }",
            "b: { url: \"${env:B}\", retry: { attempts: 2 }, breaker: { consecutiveFailures: 2 } }"));
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    b.on("/", FakeUpstream.json(503, "{}"));
    // One page: the first attempt and its retry both fail, which opens b's breaker.
    assertThat(gw.get("/web/v2/p/1").headers().firstValue("x-medley-partial")).hasValue("price");
    Prometheus m = scrape();
    assertThat(m.value("medley_upstream_retries_total", Map.of("upstream", "b"))).isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_breaker_transitions_total",
                Map.of("upstream", "b", "from", "closed", "to", "open")))
        .isEqualTo(1.0);
  }

  @Test
  void attemptCutShortByItsTimeoutIsCountedAsTimeout() {
    start(CONFIG);
    c.on("/slow", c.stall());
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/web/v1/slow/1");
    c.awaitRequests(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(gw.await(pending).statusCode()).isEqualTo(200); // optional: degraded, not failed

    Prometheus m = scrape();
    assertThat(
            m.value("medley_upstream_timeouts_total", Map.of("upstream", "c", "kind", "timeout")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_upstream_attempts_total", Map.of("upstream", "c", "outcome", "timeout")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_upstream_duration_seconds_sum",
                Map.of("upstream", "c", "outcome", "timeout")))
        .isEqualTo(0.1);
    assertThat(
            m.value(
                "medley_requests_total",
                Map.of(
                    "experience",
                    "web",
                    "route",
                    "GET /web/v1/slow/{id}",
                    "version",
                    "v1",
                    "status_class",
                    "2xx")))
        .isEqualTo(1.0);
    assertThat(
            m.value(
                "medley_step_duration_seconds_count",
                Map.of(
                    "experience",
                    "web",
                    "route",
                    "GET /web/v1/slow/{id}",
                    "step",
                    "slow",
                    "outcome",
                    "degraded")))
        .isEqualTo(1.0);
  }

  @Test
  void recorderCallsFromOtherPoliciesShowUpUnderTheirNames() {
    start(CONFIG);
    Metrics metrics = gw.gateway.metrics();
    metrics.retry("a");
    metrics.retry("a");
    metrics.breakerTransition("b", BreakerState.CLOSED, BreakerState.OPEN);
    metrics.cache(CacheLayer.RESPONSE, CacheResult.HIT);
    metrics.cache(CacheLayer.STEP, CacheResult.STALE);

    Prometheus m = scrape();
    assertThat(m.value("medley_upstream_retries_total", Map.of("upstream", "a"))).isEqualTo(2.0);
    assertThat(
            m.value(
                "medley_breaker_transitions_total",
                Map.of("upstream", "b", "from", "closed", "to", "open")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_breaker_state", Map.of("upstream", "b", "state", "open")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_breaker_state", Map.of("upstream", "b", "state", "closed")))
        .isEqualTo(0.0);
    assertThat(m.value("medley_cache_requests_total", Map.of("cache", "response", "result", "hit")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_cache_requests_total", Map.of("cache", "step", "result", "stale")))
        .isEqualTo(1.0);
    assertThat(m.value("medley_cache_requests_total", Map.of("cache", "step", "result", "miss")))
        .isEqualTo(0.0);
  }

  @Test
  void metricsNeedTheAdminToken() {
    start(CONFIG);
    assertThat(gw.admin("/metrics", null).statusCode()).isEqualTo(401);
    assertThat(gw.admin("/metrics", "wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void disabledMetricsLeaveNoEndpoint() {
    start(
        CONFIG.replace(
            "accessLog: { target: none }",
            "accessLog: { target: none }\n  metrics: { enabled: false }"));
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\"}"));
    b.on("/prices", FakeUpstream.json("1"));
    assertThat(gw.get("/web/v2/p/1").statusCode()).isEqualTo(200);
    assertThat(gw.admin("/metrics", TOKEN).statusCode()).isEqualTo(404);
  }
}
