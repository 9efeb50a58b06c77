package dev.medley.upstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import org.junit.jupiter.api.Test;

/**
 * The retry budget caps retry load on a sick upstream: failing 100% under steady load, it sees at
 * most (1 + ratio) x calls plus the small per-second minimum, not attempts x calls.
 */
class RetryBudgetTest extends GatewayTest {
  private static final int REQUESTS = 500;
  private static final int ATTEMPTS = 3;
  private static final double RATIO = 0.2;

  /** minPerSecond x window: retries allowed whatever the call count. */
  private static final int MIN_RETRIES = 1 * 10;

  @Test
  void upstreamFailingEverythingSeesAtMostOnePlusBudgetTimesTheCalls() {
    start(
        """
        version: 1
        upstreams:
          a:
            url: "${env:A}"
            breaker: off
            retry: { attempts: %d, budget: { ratio: 20%%, minPerSecond: 1, window: 10s } }
        experiences:
          web:
            routes:
              GET /p/{id}:
                steps:
                  item: { upstream: a, path: "/items/{id}", optional: null }
        """
            .formatted(ATTEMPTS));
    a.on("/items", FakeUpstream.json(503, "{}"));
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(gw.get("/p/" + i).statusCode()).isEqualTo(200);
    }
    long seen = a.count("/items");
    System.out.printf(
        "retry budget: %d requests, %d attempts each, upstream saw %d calls (unbudgeted: %d)%n",
        REQUESTS, ATTEMPTS, seen, REQUESTS * ATTEMPTS);
    assertThat(seen).isLessThanOrEqualTo((long) ((1 + RATIO) * REQUESTS) + MIN_RETRIES);
    assertThat(seen)
        .as("the budget is used, not just refused")
        .isGreaterThanOrEqualTo((long) ((1 + RATIO) * REQUESTS));
    assertThat(gw.gateway.resilience().budgetExhaustedCount("a")).isGreaterThan(0);
    assertThat(seen).isLessThan((long) ATTEMPTS * REQUESTS);
  }
}
