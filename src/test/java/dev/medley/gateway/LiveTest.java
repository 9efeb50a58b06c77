package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.edge.Generation;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.testing.Harness;
import dev.medley.time.ManualClock;
import dev.medley.upstream.client.UpstreamRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request count behind draining: a retired plan closes when, and only when, its last request is
 * done.
 */
class LiveTest {
  private Vertx vertx;
  private final List<Live> lives = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Harness.vertx(new VertxOptions());
  }

  @AfterEach
  void stop() throws Exception {
    for (Live l : lives) {
      l.closeNow();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Live live() {
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of()))
            .parse(
                """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
              GET /p:
                steps:
                  s: { upstream: a, path: /p }
        """,
                "live.yaml");
    Plan plan = PlanCompiler.compile(r.spec(), "v1").plan();
    ManualClock clock = new ManualClock();
    UpstreamRegistry registry =
        new UpstreamRegistry(vertx, plan.spec().upstreams(), clock, spec -> List.of());
    Live l =
        new Live(
            Generation.of(plan, null, List.of(), req -> null),
            registry,
            HealthChecks.start(vertx, vertx.getOrCreateContext(), plan, clock));
    lives.add(l);
    return l;
  }

  @Test
  void retiredPlanWithRequestsStaysOpenUntilTheLastOneIsReleased() throws Exception {
    Live l = live();
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isTrue();
    l.retire();
    assertThat(l.isClosed()).isFalse();
    assertThat(l.inFlight()).isEqualTo(2);
    assertThat(l.tryAcquire())
        .as("a request that read the plan just before the swap may still join")
        .isTrue();
    l.release();
    l.release();
    assertThat(l.isClosed()).isFalse();
    l.release();
    assertThat(l.isClosed()).isTrue();
    l.closed().await(5, TimeUnit.SECONDS);
    assertThat(l.tryAcquire()).as("a closed plan lends itself to no one").isFalse();
  }

  @Test
  void idleRetiredPlanClosesAtOnce() throws Exception {
    Live l = live();
    l.retire();
    assertThat(l.isClosed()).isTrue();
    l.closed().await(5, TimeUnit.SECONDS);
  }

  @Test
  void livePlanNeverClosesWhenItsRequestsFinish() {
    Live l = live();
    assertThat(l.tryAcquire()).isTrue();
    l.release();
    assertThat(l.isClosed()).isFalse();
    assertThat(l.tryAcquire()).isTrue();
  }

  @Test
  void manyThreadsAcquiringWhileTheSwapHappensNeverUseAClosedPlan() throws Exception {
    for (int round = 0; round < 50; round++) {
      Live l = live();
      int threads = 4;
      List<Thread> ts = new ArrayList<>();
      List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < 200; i++) {
                    if (l.tryAcquire()) {
                      if (l.closed().isComplete()) {
                        violations.add("acquired a plan whose clients are closed");
                      }
                      l.release();
                    }
                  }
                });
        th.start();
        ts.add(th);
      }
      go.countDown();
      l.retire();
      for (Thread th : ts) {
        th.join(10_000);
      }
      assertThat(violations).isEmpty();
      assertThat(l.isClosed()).as("closed once every request released it").isTrue();
    }
  }
}
