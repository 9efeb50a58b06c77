package dev.medley.upstream.resilience;

import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds an upstream's resilience policies in the one documented order, outermost first: retry(
 * hedge( breaker( bulkhead( timeout( call ))))). Hedge sits inside retry so a retry of a failed
 * call is hedged again, and outside the breaker and bulkhead so every hedged attempt passes them.
 * Retry is outermost so each try passes the breaker and bulkhead again; the breaker sits outside
 * the bulkhead so an open breaker costs no slot; the timeout (and instance choice) belong to the
 * terminal HTTP client.
 */
public final class Resilience {
  private Resilience() {}

  /**
   * @param random the source of back-off jitter (tests pass a fixed one)
   * @param events receives breaker transitions, rejections and retries
   */
  public static List<UpstreamPolicy> policies(
      UpstreamSpec spec, Clock clock, RandomGenerator random, ResilienceListener events) {
    List<UpstreamPolicy> out = new ArrayList<>(4);
    // One budget per upstream: retries and hedges both draw on it.
    RetryBudget budget = new RetryBudget(spec.retry().budget(), clock);
    boolean retries = spec.retry().attempts() > 1;
    if (retries) {
      out.add(new RetryPolicy(spec.name(), spec.retry(), budget, clock, random, events));
    }
    if (spec.hedge() != null) {
      out.add(new HedgePolicy(spec.name(), spec.hedge(), budget, !retries, clock, events));
    }
    if (spec.breaker() != null) {
      out.add(
          new BreakerPolicy(
              spec.name(),
              Breaker.forUpstream(spec.name(), spec.breaker(), clock, events),
              clock,
              events));
    }
    out.add(new BulkheadPolicy(spec.name(), spec.maxConcurrent(), spec.maxQueue(), clock, events));
    return out;
  }
}
