package dev.medley.upstream.resilience;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;

/**
 * The upstream's circuit breaker: while open, calls fail at once with a REJECTED error carrying the
 * time left (a critical step turns it into 503 with Retry-After, an optional one into its
 * fallback). Sits outside the bulkhead, so calls it refuses never take a bulkhead slot.
 */
public final class BreakerPolicy implements UpstreamPolicy {
  private final String upstream;
  private final Breaker breaker;
  private final Clock clock;
  private final ResilienceListener events;

  BreakerPolicy(String upstream, Breaker breaker, Clock clock, ResilienceListener events) {
    this.upstream = upstream;
    this.breaker = breaker;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next) {
    if (!breaker.tryAcquire()) {
      events.rejected(upstream, Rejection.BREAKER_OPEN);
      return Future.failedFuture(
          UpstreamException.rejected(
              upstream,
              "upstream '" + upstream + "' is unavailable (circuit breaker open)",
              breaker.retryAfter()));
    }
    long start = clock.nanoTime();
    Future<UpstreamResponse> f;
    try {
      f = next.call(request);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    // A listener on the call's own future, not andThen: listeners run in the order added, so this
    // one runs before our caller's, and no extra future is made and completed per call. A
    // Completable (two arguments) is taken as it is; a Handler of AsyncResult would be wrapped.
    return f.onComplete(
        (response, failure) ->
            breaker.record(Verdict.of(response, failure), clock.nanoTime() - start));
  }

  /** The breaker's current state, for tests and the admin view. */
  public BreakerState state() {
    return breaker.state();
  }
}
