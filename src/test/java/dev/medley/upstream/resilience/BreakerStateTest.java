package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.BreakerSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.UpstreamSpec;
import dev.medley.time.ManualClock;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The breaker state machine and instance ejection, driven directly on a {@link ManualClock}: no
 * gateway, no sockets, no Vert.x instance.
 */
@Tag("fast")
class BreakerStateTest {
  private final ManualClock clock = new ManualClock();
  private final List<String> transitions = new ArrayList<>();
  private final ResilienceListener events =
      new ResilienceListener() {
        @Override
        public void breakerTransition(
            String upstream, String instance, BreakerState from, BreakerState to) {
          transitions.add((instance == null ? upstream : instance) + " " + from + "->" + to);
        }
      };

  /** Opens after 3 consecutive failures, for 10s; 2 probes decide in half-open. */
  private static final BreakerSpec SPEC =
      new BreakerSpec(
          3,
          0.5,
          1.0,
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          20,
          Duration.ofSeconds(10),
          2);

  private static final long MS = 1_000_000L;

  private static void call(Breaker b, Verdict v) {
    assertThat(b.tryAcquire()).as("a call may go").isTrue();
    b.record(v, MS);
  }

  @Test
  void consecutiveFailuresOpenItAndAnOpenBreakerRefusesUntilItsPeriodEnds() {
    Breaker b = Breaker.forUpstream("a", SPEC, clock, events);
    call(b, Verdict.FAILURE);
    call(b, Verdict.FAILURE);
    call(b, Verdict.SUCCESS); // a success resets the run
    call(b, Verdict.FAILURE);
    call(b, Verdict.FAILURE);
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    call(b, Verdict.FAILURE);
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    assertThat(b.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(4));
    assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(b.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(6));
    assertThat(b.tryAcquire()).as("the period is not over until it has passed").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(b.tryAcquire()).as("the first call after the period is a probe").isTrue();
    assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    b.record(Verdict.SUCCESS, MS);
    call(b, Verdict.SUCCESS);
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(transitions)
        .containsExactly("a CLOSED->OPEN", "a OPEN->HALF_OPEN", "a HALF_OPEN->CLOSED");
  }

  @Test
  void concurrentCallsReportEveryTransitionOnceAndInOrderWithoutResilience4jEvents()
      throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    ResilienceListener record =
        new ResilienceListener() {
          @Override
          public void breakerTransition(
              String upstream, String instance, BreakerState from, BreakerState to) {
            seen.add(from + "->" + to);
          }
        };
    Breaker b = Breaker.forUpstream("a", SPEC, clock, record);
    assertThat(b.eventFree()).as("no Resilience4j event consumer, so no event per call").isTrue();
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
    Runnable caller =
        () -> {
          java.util.SplittableRandom random = new java.util.SplittableRandom();
          await(start);
          for (int i = 0; i < 20_000; i++) {
            if (b.tryAcquire()) {
              b.record(random.nextInt(3) == 0 ? Verdict.FAILURE : Verdict.SUCCESS, MS);
            }
          }
        };
    Thread one = new Thread(caller);
    Thread two = new Thread(caller);
    one.start();
    two.start();
    await(start);
    for (int i = 0; i < 2_000; i++) {
      clock.advance(Duration.ofMillis(50)); // open periods end while the callers run
    }
    one.join();
    two.join();
    assertThat(seen).isNotEmpty();
    String state = "CLOSED";
    for (String t : seen) {
      assertThat(t).as("each transition starts where the previous one ended").startsWith(state);
      state = t.substring(t.indexOf("->") + 2);
    }
    assertThat(state).as("the last one reported is where it is").isEqualTo(b.state().name());
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failedProbesOpenItAgainAndARefusedCallGivesItsProbeBack() {
    Breaker b = Breaker.forUpstream("a", SPEC, clock, events);
    for (int i = 0; i < 3; i++) {
      call(b, Verdict.FAILURE);
    }
    clock.advance(Duration.ofSeconds(10).plusMillis(1));
    call(b, Verdict.FAILURE);
    assertThat(b.state())
        .as("one of two probes decides nothing yet")
        .isEqualTo(BreakerState.HALF_OPEN);
    call(b, Verdict.FAILURE);
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10).plusMillis(1));
    call(b, Verdict.IGNORED); // refused locally (bulkhead): gives the probe back
    call(b, Verdict.SUCCESS);
    call(b, Verdict.SUCCESS);
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
  }

  private static UpstreamSpec upstream(String ejection) {
    String yaml =
        """
        version: 1
        upstreams:
          a:
            urls: ["http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", "http://127.0.0.1:4"]
            breaker: { consecutiveFailures: 2 }
            ejection: %s
        experiences:
          web:
            routes:
              GET /p:
                steps: { x: { upstream: a, path: /x } }
        """
            .formatted(ejection);
    return new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec().upstreams().get("a");
  }

  private static final Future<UpstreamResponse> FAILED =
      Future.succeededFuture(
          new UpstreamResponse(503, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));
  private static final Future<UpstreamResponse> OK =
      Future.succeededFuture(
          new UpstreamResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));

  /** Picks until {@code port} comes up, answering the others OK and it with {@code outcome}. */
  private static void callOn(InstanceSet set, int port, Future<UpstreamResponse> outcome) {
    for (int i = 0; i < 8; i++) {
      InstanceSet.Pick p = set.pick();
      if (p.instance().port() == port) {
        p.done(outcome, MS);
        return;
      }
      p.done(OK, MS);
    }
    throw new AssertionError("instance " + port + " was never picked");
  }

  private static List<Integer> picks(InstanceSet set, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InstanceSet.Pick p = set.pick();
      out.add(p.instance().port());
      p.done(OK, MS);
    }
    return out;
  }

  @Test
  void aFailingInstanceIsEjectedForItsPeriodThenProbedBackIn() {
    InstanceSet set =
        InstanceSet.of(upstream("{ time: 30s, maxTime: 5m, maxPercent: 50% }"), clock, events);
    callOn(set, 2, FAILED);
    callOn(set, 2, FAILED);
    assertThat(transitions).containsExactly("127.0.0.1:2 CLOSED->OPEN");
    assertThat(picks(set, 6)).doesNotContain(2).containsOnly(1, 3, 4);
    assertThat(set.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30).plusMillis(1));
    assertThat(picks(set, 8)).contains(2);
    assertThat(transitions).contains("127.0.0.1:2 OPEN->HALF_OPEN");
  }

  @Test
  void neverMoreThanMaxPercentOfTheInstancesAreOut() {
    InstanceSet set =
        InstanceSet.of(upstream("{ time: 30s, maxTime: 5m, maxPercent: 25% }"), clock, events);
    callOn(set, 1, FAILED);
    callOn(set, 1, FAILED);
    clock.advance(Duration.ofSeconds(1));
    callOn(set, 2, FAILED);
    callOn(set, 2, FAILED);
    assertThat(transitions).containsExactly("127.0.0.1:1 CLOSED->OPEN", "127.0.0.1:2 CLOSED->OPEN");
    // One of four may be out: the first ejected stays out, the second serves anyway.
    assertThat(picks(set, 8)).doesNotContain(1).contains(2, 3, 4);
  }
}
