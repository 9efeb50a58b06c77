package dev.medley.upstream.resilience;

import dev.medley.config.RetrySpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Tries a failed call again when that is safe and useful: the method is idempotent (or the call
 * carries an {@code Idempotency-Key}; a connect failure sent nothing, so any method), the failure
 * is one the upstream lists under {@code retry.on}, the retry budget allows it, and the back-off
 * wait ends before the request deadline. Waits are exponential with full jitter from the injected
 * random source, and never shorter than a 429/503 answer's Retry-After.
 */
public final class RetryPolicy implements UpstreamPolicy {
  private final String upstream;
  private final int attempts;
  private final long backoffNanos;
  private final long maxBackoffNanos;
  private final Set<String> methods;
  private final boolean onConnect;
  private final boolean onReset;
  private final boolean onTimeout;
  private final Set<Integer> statuses = new HashSet<>();
  private final RetryBudget budget;
  private final Clock clock;
  private final RandomGenerator random;
  private final ResilienceListener events;

  RetryPolicy(
      String upstream,
      RetrySpec spec,
      RetryBudget budget,
      Clock clock,
      RandomGenerator random,
      ResilienceListener events) {
    this.upstream = upstream;
    this.attempts = spec.attempts();
    this.backoffNanos = spec.backoff().toNanos();
    this.maxBackoffNanos = spec.maxBackoff().toNanos();
    this.methods = Set.copyOf(spec.methods());
    this.onConnect = spec.on().contains("connect");
    this.onReset = spec.on().contains("reset");
    this.onTimeout = spec.on().contains("timeout");
    for (String s : spec.on()) {
      if (Character.isDigit(s.charAt(0))) {
        statuses.add(Integer.parseInt(s));
      }
    }
    this.budget = budget;
    this.clock = clock;
    this.random = random;
    this.events = events;
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next) {
    budget.onCall();
    if (attempts == 1 || !mayRetry(request)) {
      // No failure of this call could be retried: its first attempt is the answer, as is.
      return next.call(request);
    }
    Attempts a = new Attempts(request, next);
    a.send();
    return a.promise.future();
  }

  /**
   * False when no outcome of {@code request} could be retried (see {@link #retryable}): it is not
   * idempotent and connect failures are not retried, or it is idempotent and nothing but connect
   * failures are retried while those are not. Decided before the call, so such calls make no
   * promise.
   */
  private boolean mayRetry(UpstreamRequest request) {
    return onConnect || (idempotent(request) && (onReset || onTimeout || !statuses.isEmpty()));
  }

  /**
   * One call's attempts: the promise the caller gets and the listener of every attempt, in one
   * object (a {@link Completable} is taken by Vert.x as it is; a lambda handler would be wrapped).
   */
  private final class Attempts implements Completable<UpstreamResponse> {
    private final UpstreamRequest request;
    private final UpstreamCall next;
    private final Promise<UpstreamResponse> promise = Promise.promise();
    private int n = 1;

    Attempts(UpstreamRequest request, UpstreamCall next) {
      this.request = request;
      this.next = next;
    }

    void send() {
      Future<UpstreamResponse> f;
      try {
        f = next.call(request);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(this);
    }

    @Override
    public void complete(UpstreamResponse response, Throwable failure) {
      if (n >= attempts || !retryable(request, response, failure)) {
        promise.complete(response, failure);
        return;
      }
      long delay = delayNanos(n, response);
      if (clock.nanoTime() + delay >= request.deadlineNanos()) {
        promise.complete(response, failure); // the wait alone would outlast the deadline
        return;
      }
      if (!budget.tryRetry()) {
        events.retryBudgetExhausted(upstream);
        promise.complete(response, failure);
        return;
      }
      events.retried(upstream);
      n++;
      if (delay == 0) {
        send();
      } else {
        clock.schedule(Duration.ofNanos(delay), this::send);
      }
    }
  }

  private boolean retryable(UpstreamRequest request, UpstreamResponse response, Throwable failure) {
    if (failure == null) {
      return statuses.contains(response.status()) && idempotent(request);
    }
    if (!(failure instanceof UpstreamException u)) {
      return false;
    }
    return switch (u.kind()) {
      case CONNECT -> onConnect;
      case RESET -> onReset && idempotent(request);
      case TIMEOUT -> onTimeout && idempotent(request);
      default ->
          false; // DEADLINE: no time left; REJECTED: retrying a refusal at once only adds load
    };
  }

  private boolean idempotent(UpstreamRequest request) {
    return methods.contains(request.method())
        || (request.headers() != null && request.headers().contains("Idempotency-Key"));
  }

  /**
   * Full jitter: uniform in [0, min(maxBackoff, backoff * 2^(n-1))), but at least any Retry-After.
   */
  private long delayNanos(int n, UpstreamResponse answered) {
    long ceiling = backoffNanos;
    for (int i = 1; i < n && ceiling < maxBackoffNanos; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, maxBackoffNanos);
    long delay = ceiling == 0 ? 0 : (long) (random.nextDouble() * ceiling);
    if (answered != null) {
      long retryAfter = RetryAfter.nanos(answered.headers(), clock);
      delay = Math.max(delay, retryAfter);
    }
    return delay;
  }
}
