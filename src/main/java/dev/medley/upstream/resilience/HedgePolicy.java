package dev.medley.upstream.resilience;

import dev.medley.config.HedgeSpec;
import dev.medley.observe.TelemetryNames;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;

/**
 * Hedged requests: when an attempt of an idempotent call has not answered after {@code after}, one
 * more identical attempt goes out (up to {@code max}), and the first usable answer wins. A usable
 * answer is any response below 500; a failure or a 5xx waits for the other attempts still running
 * and is the call's result only when none is left. The attempts that lose are not awaited: their
 * answers are discarded when they arrive (each is still bounded by its attempt timeout and holds
 * its bulkhead slot until then).
 *
 * <p>Every hedge is taken from the upstream's retry budget, so hedging cannot multiply the load on
 * a slow upstream: with the budget spent, no hedge is sent. No hedge is sent at or past the request
 * deadline.
 */
final class HedgePolicy implements UpstreamPolicy {
  private final String upstream;
  private final long afterNanos;
  private final java.time.Duration after;
  private final int max;
  private final Set<String> methods;
  private final RetryBudget budget;
  private final boolean countCalls;
  private final Clock clock;
  private final ResilienceListener events;

  /**
   * @param countCalls true when no retry policy counts this upstream's calls into {@code budget}
   */
  HedgePolicy(
      String upstream,
      HedgeSpec spec,
      RetryBudget budget,
      boolean countCalls,
      Clock clock,
      ResilienceListener events) {
    this.upstream = upstream;
    this.after = spec.after();
    this.afterNanos = spec.after().toNanos();
    this.max = spec.max();
    this.methods = Set.copyOf(spec.methods());
    this.budget = budget;
    this.countCalls = countCalls;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next) {
    if (countCalls) {
      budget.onCall();
    }
    if (!methods.contains(request.method())) {
      return next.call(request);
    }
    return new Race(request, next).start();
  }

  /** One hedged call: its attempts in flight, the timer for the next hedge, and the result. */
  private final class Race {
    private final UpstreamRequest request;
    private final UpstreamCall next;
    private final Promise<UpstreamResponse> result = Promise.promise();
    private int sent;
    private int running;
    private Clock.Cancellable timer;

    Race(UpstreamRequest request, UpstreamCall next) {
      this.request = request;
      this.next = next;
    }

    Future<UpstreamResponse> start() {
      send();
      if (!result.future().isComplete()) {
        schedule();
      }
      return result.future();
    }

    private void schedule() {
      if (sent > max || clock.nanoTime() + afterNanos >= request.deadlineNanos()) {
        return; // no hedges left, or the next would start at or past the deadline
      }
      timer = clock.schedule(after, this::hedge);
    }

    private void hedge() {
      timer = null;
      if (result.future().isComplete()) {
        return;
      }
      if (!budget.tryRetry()) {
        events.hedge(upstream, TelemetryNames.HEDGE_REFUSED);
        return;
      }
      events.hedge(upstream, TelemetryNames.HEDGE_SENT);
      send();
      if (!result.future().isComplete()) {
        schedule();
      }
    }

    private void send() {
      int attempt = sent++;
      running++;
      Future<UpstreamResponse> f;
      try {
        f = next.call(request);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> settle(attempt, ar));
    }

    private void settle(int attempt, AsyncResult<UpstreamResponse> ar) {
      running--;
      if (result.future().isComplete()) {
        return; // a loser: its answer is discarded
      }
      if (ar.succeeded() && ar.result().status() < 500) {
        win(attempt, ar);
        return;
      }
      // Another attempt is still running: wait for it. Otherwise this failure is the call's (a
      // failure is the retry policy's business, not a reason to hedge at once).
      if (running == 0) {
        win(attempt, ar);
      }
    }

    private void win(int attempt, AsyncResult<UpstreamResponse> ar) {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      if (attempt > 0 && ar.succeeded()) {
        events.hedge(upstream, TelemetryNames.HEDGE_WON);
      }
      result.handle(ar);
    }
  }
}
