package dev.medley.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.engine.StepTrace;
import dev.medley.plan.Plan;
import dev.medley.testing.Plans;
import dev.medley.testing.Prometheus;
import dev.medley.time.ManualClock;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The request path's series without a gateway: resolved once per generation, counting on across
 * reloads for the routes and upstreams a reload keeps, holding no retired generation, exact under
 * concurrent recording, and a {@code _max} that forgets like Micrometer's (about a minute).
 */
@Tag("fast")
class RequestSeriesTest {
  private final ManualClock clock = new ManualClock();
  private final MicrometerMetrics metrics = new MicrometerMetrics(true, clock);

  @AfterEach
  void close() {
    metrics.close();
  }

  private static Plan plan(String routes) {
    return Plans.compile(
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            basePath: /web
            routes:
        """
            + routes.indent(6));
  }

  private static final String KEPT =
      """
      GET /v2/p/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
      """;

  private static Map<String, String> kept(String statusClass) {
    return Map.of(
        "experience",
        "web",
        "route",
        "GET /web/v2/p/{id}",
        "version",
        "v2",
        "status_class",
        statusClass);
  }

  private Prometheus scrape() {
    return Prometheus.parse(metrics.registry().scrape());
  }

  private static List<StepTrace> ok(String step, long nanos) {
    return List.of(new StepTrace(step, "ok", null, 0, nanos, 1, 1, "none"));
  }

  @Test
  void aReloadKeepsCountingTheRoutesItKeepsAndTheRetiredRoutesStayAsTheyWere() {
    Plan one = plan(KEPT + "GET /v1/old/{id}:\n  steps:\n    old: { upstream: a, path: /old }\n");
    PlanMeters first = metrics.prepare(one);
    first.of(one.routes().get(0)).record(200, 1_000_000, clock.nanoTime(), ok("product", 900_000));
    first.of(one.routes().get(0)).record(200, 1_000_000, clock.nanoTime(), ok("product", 900_000));
    first.of(one.routes().get(1)).record(500, 1_000_000, clock.nanoTime(), List.of());

    // the kept route changes (a new step): a new plan, new meters, the same series
    Plan two =
        plan(
            KEPT.replace(
                "      product:", "      extra: { upstream: a, path: /x }\n      product:"));
    PlanMeters second = metrics.prepare(two);
    assertThat(second).isNotSameAs(first);
    assertThat(metrics.prepare(two)).as("resolved once per plan").isSameAs(second);
    second.of(two.routes().get(0)).record(200, 3_000_000, clock.nanoTime(), ok("product", 1));

    Prometheus m = scrape();
    assertThat(m.value("medley_requests_total", kept("2xx"))).isEqualTo(3.0);
    assertThat(m.value("medley_request_duration_seconds_sum", kept("2xx"))).isEqualTo(0.005);
    assertThat(
            m.value(
                "medley_step_duration_seconds_count",
                Map.of(
                    "experience", "web",
                    "route", "GET /web/v2/p/{id}",
                    "step", "product",
                    "outcome", "ok")))
        .isEqualTo(3.0);
    // the route the reload dropped keeps its last values, as Micrometer's meters did
    assertThat(
            m.value(
                "medley_requests_total",
                Map.of(
                    "experience", "web",
                    "route", "GET /web/v1/old/{id}",
                    "version", "v1",
                    "status_class", "5xx")))
        .isEqualTo(1.0);
    // a step never run has no series yet
    assertThat(m.find("medley_step_duration_seconds_count", Map.of("step", "extra"))).isEmpty();
  }

  @Test
  void noRetiredGenerationIsHeldOnceTwoNewerOnesWereBuilt() {
    Plan one = plan(KEPT);
    metrics.prepare(one).of(one.routes().get(0)).record(200, 1, clock.nanoTime(), List.of());
    WeakReference<Plan> retired = new WeakReference<>(one);
    one = null;
    metrics.prepare(plan(KEPT));
    Plan three = plan(KEPT);
    metrics.prepare(three).of(three.routes().get(0)).record(200, 1, clock.nanoTime(), List.of());
    for (int i = 0; i < 50 && retired.get() != null; i++) {
      System.gc();
    }
    assertThat(retired.get()).as("the first plan was collected").isNull();
    assertThat(scrape().value("medley_requests_total", kept("2xx"))).isEqualTo(2.0);
  }

  @Test
  void threadsRecordingAtOnceLoseNoCountAndNoNanosecond() throws Exception {
    Plan p = plan(KEPT);
    RouteMeters rm = metrics.prepare(p).of(p.routes().get(0));
    UpstreamMeters up = metrics.upstream("a");
    List<Thread> threads = new ArrayList<>();
    int perThread = 20_000;
    int n = LatencyHistogram.STRIPES + 4; // more threads than stripes: some share one
    for (int t = 0; t < n; t++) {
      long nanos = (t + 1) * 100_000L; // 0.1ms .. 2ms: several buckets
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      rm.record(200, nanos, clock.nanoTime(), ok("product", nanos));
                      up.record(UpstreamMeters.ofStatus(200), nanos, clock.nanoTime());
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long sumNanos = 0;
    for (int t = 0; t < n; t++) {
      sumNanos += (t + 1) * 100_000L * perThread;
    }
    Prometheus m = scrape();
    assertThat(m.value("medley_requests_total", kept("2xx"))).isEqualTo((double) n * perThread);
    assertThat(m.value("medley_request_duration_seconds_sum", kept("2xx")))
        .isEqualTo(sumNanos / 1e9);
    assertThat(m.value("medley_upstream_attempts_total", Map.of("upstream", "a", "outcome", "2xx")))
        .isEqualTo((double) n * perThread);
    assertThat(m.value("medley_request_duration_seconds_max", kept("2xx")))
        .isEqualTo(n * 100_000L / 1e9);
    // cumulative buckets: everything is at most 2.5ms; (n) answers per thread at 0.1ms steps
    assertThat(
            m.value(
                "medley_request_duration_seconds_bucket",
                Map.of(
                    "experience",
                    "web",
                    "route",
                    "GET /web/v2/p/{id}",
                    "version",
                    "v2",
                    "status_class",
                    "2xx",
                    "le",
                    "5.0E-4")))
        .isEqualTo(5.0 * perThread);
  }

  @Test
  void theMaximumCoversTheLastMinuteAndThenForgets() {
    Plan p = plan(KEPT);
    RouteMeters rm = metrics.prepare(p).of(p.routes().get(0));
    rm.record(200, 7_000_000, clock.nanoTime(), List.of());
    clock.advance(Duration.ofSeconds(30));
    rm.record(200, 2_000_000, clock.nanoTime(), List.of());
    assertThat(scrape().value("medley_request_duration_seconds_max", kept("2xx"))).isEqualTo(0.007);
    clock.advance(Duration.ofSeconds(45)); // the 7ms answer is 75s old, the 2ms one 45s
    assertThat(scrape().value("medley_request_duration_seconds_max", kept("2xx"))).isEqualTo(0.002);
    clock.advance(Duration.ofSeconds(60));
    assertThat(scrape().value("medley_request_duration_seconds_max", kept("2xx"))).isEqualTo(0.0);
    assertThat(scrape().value("medley_requests_total", kept("2xx"))).isEqualTo(2.0);
  }
}
