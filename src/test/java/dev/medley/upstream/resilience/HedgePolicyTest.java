package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.HedgeSpec;
import dev.medley.config.RetrySpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.time.ManualClock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hedged requests on a {@link ManualClock} against a held in-memory call: "the hedge delay elapses"
 * is a clock advance, and every answer is given by the test in the order it chooses.
 */
@Tag("fast")
class HedgePolicyTest {
  private final ManualClock clock = new ManualClock();
  private final ResilienceEvents events = new ResilienceEvents();
  private final List<Promise<UpstreamResponse>> attempts = new ArrayList<>();
  private final UpstreamCall held =
      r -> {
        Promise<UpstreamResponse> p = Promise.promise();
        attempts.add(p);
        return p.future();
      };

  private HedgePolicy policy(int max, RetrySpec.BudgetSpec budget) {
    return new HedgePolicy(
        "search",
        new HedgeSpec(Duration.ofMillis(50), max, List.of("GET", "HEAD")),
        new RetryBudget(budget, clock),
        true,
        clock,
        events);
  }

  private HedgePolicy policy() {
    return policy(1, RetrySpec.BudgetSpec.DEFAULT);
  }

  private UpstreamRequest request(String method) {
    return new UpstreamRequest(
        "s",
        method,
        "/search?q=x",
        MultiMap.caseInsensitiveMultiMap(),
        null,
        Duration.ofSeconds(1),
        clock.nanoTime() + Duration.ofSeconds(1).toNanos());
  }

  private static UpstreamResponse answer(int status, String body) {
    return new UpstreamResponse(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
  }

  @Test
  void aHedgeGoesOutOnlyAfterTheDelayAndTheFirstAnswerWins() {
    Future<UpstreamResponse> f = policy().apply(request("GET"), held);
    assertThat(attempts).hasSize(1);
    clock.advance(Duration.ofMillis(49));
    assertThat(attempts).as("not before the delay").hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(attempts).as("the hedge").hasSize(2);
    attempts.get(1).complete(answer(200, "hedge"));
    assertThat(f.result().body().toString()).isEqualTo("hedge");
    attempts.get(0).complete(answer(200, "first")); // the loser: discarded
    assertThat(f.result().body().toString()).isEqualTo("hedge");
    clock.advance(Duration.ofSeconds(1));
    assertThat(attempts).as("max 1: no second hedge").hasSize(2);
    assertThat(events.hedgeCount("search", "sent")).isEqualTo(1);
    assertThat(events.hedgeCount("search", "won")).isEqualTo(1);
  }

  @Test
  void anAnswerBeforeTheDelaySendsNoHedgeAndCancelsTheTimer() {
    Future<UpstreamResponse> f = policy().apply(request("GET"), held);
    attempts.get(0).complete(answer(200, "first"));
    assertThat(f.result().body().toString()).isEqualTo("first");
    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofMillis(100));
    assertThat(attempts).hasSize(1);
    assertThat(events.hedgeCount("search", "sent")).isZero();
  }

  @Test
  void aFailedAttemptWaitsForTheOtherOneAndOnlyTheLastFailureIsTheCalls() {
    Future<UpstreamResponse> f = policy().apply(request("GET"), held);
    clock.advance(Duration.ofMillis(50));
    attempts.get(0).complete(answer(503, "busy"));
    assertThat(f.isComplete()).as("the hedge may still succeed").isFalse();
    attempts.get(1).complete(answer(200, "hedge"));
    assertThat(f.result().status()).isEqualTo(200);

    Future<UpstreamResponse> g = policy().apply(request("GET"), held);
    clock.advance(Duration.ofMillis(50));
    attempts.get(2).fail(new UpstreamException(UpstreamException.Kind.RESET, "search", "reset"));
    attempts.get(3).complete(answer(502, "bad"));
    assertThat(g.result().status()).as("both failed: the last answer").isEqualTo(502);
  }

  @Test
  void aFailureBeforeTheDelayIsTheRetryPolicysBusinessNotAnImmediateHedge() {
    Future<UpstreamResponse> f = policy().apply(request("GET"), held);
    attempts.get(0).complete(answer(503, "busy"));
    assertThat(f.result().status()).isEqualTo(503);
    clock.advance(Duration.ofMillis(100));
    assertThat(attempts).hasSize(1);
  }

  @Test
  void postAndPatchAreNeverHedged() {
    HedgePolicy p = policy();
    p.apply(request("POST"), held);
    p.apply(request("PATCH"), held);
    clock.advance(Duration.ofMillis(500));
    assertThat(attempts).hasSize(2);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void anEmptyRetryBudgetRefusesTheHedge() {
    // No share of calls and no per-second minimum: not a single hedge may go out.
    HedgePolicy p = policy(1, new RetrySpec.BudgetSpec(0.0, 0, Duration.ofSeconds(10)));
    Future<UpstreamResponse> f = p.apply(request("GET"), held);
    clock.advance(Duration.ofMillis(50));
    assertThat(attempts).hasSize(1);
    assertThat(events.hedgeCount("search", "refused")).isEqualTo(1);
    attempts.get(0).complete(answer(200, "first"));
    assertThat(f.result().body().toString()).isEqualTo("first");
  }

  @Test
  void hedgesAndRetriesShareOneBudget() {
    // 50% of calls: two calls allow one extra attempt in all, hedge or retry.
    HedgePolicy p = policy(1, new RetrySpec.BudgetSpec(0.5, 0, Duration.ofSeconds(10)));
    p.apply(request("GET"), held);
    p.apply(request("GET"), held);
    clock.advance(Duration.ofMillis(50));
    assertThat(attempts).as("two calls, one hedge").hasSize(3);
    assertThat(events.hedgeCount("search", "refused")).isEqualTo(1);
  }

  @Test
  void noHedgeStartsAtOrPastTheDeadlineAndMaxBoundsThem() {
    UpstreamRequest tight =
        new UpstreamRequest(
            "s",
            "GET",
            "/x",
            MultiMap.caseInsensitiveMultiMap(),
            null,
            Duration.ofSeconds(1),
            clock.nanoTime() + Duration.ofMillis(40).toNanos());
    policy().apply(tight, held);
    clock.advance(Duration.ofMillis(100));
    assertThat(attempts).hasSize(1);

    attempts.clear();
    policy(2, RetrySpec.BudgetSpec.DEFAULT).apply(request("GET"), held);
    clock.advance(Duration.ofMillis(50));
    clock.advance(Duration.ofMillis(50));
    clock.advance(Duration.ofMillis(50));
    assertThat(attempts).as("the first attempt and two hedges").hasSize(3);
  }

  @Test
  void theHedgeSitsInsideRetryAndOutsideTheBreakerInTheUpstreamChain() {
    UpstreamSpec base =
        new dev.medley.config.ConfigLoader(dev.medley.config.Env.of(java.util.Map.of()))
            .parse(
                """
                    version: 1
                    upstreams:
                      u: { url: "http://127.0.0.1:9", hedge: { after: 50ms } }
                    experiences: {}
                    """,
                "t.yaml")
            .spec()
            .upstreams()
            .get("u");
    List<UpstreamPolicy> chain =
        Resilience.policies(base, clock, java.util.random.RandomGenerator.getDefault(), events);
    assertThat(chain)
        .extracting(p -> p.getClass().getSimpleName())
        .containsExactly("RetryPolicy", "HedgePolicy", "BreakerPolicy", "BulkheadPolicy");
  }
}
