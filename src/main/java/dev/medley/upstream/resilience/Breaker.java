package dev.medley.upstream.resilience;

import dev.medley.config.BreakerSpec;
import dev.medley.time.Clock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One circuit breaker, of an upstream or of one instance. Resilience4j's state machine does the
 * rate windows and half-open probes, on our clock; this class adds the consecutive-failure rule
 * (which Resilience4j lacks), the Retry-After of an open breaker, and event reporting.
 */
final class Breaker {
  /** Recorded for failed calls; Resilience4j only needs some throwable. */
  private static final Exception FAILED =
      new Exception("upstream call failed", null, false, false) {};

  private final CircuitBreaker cb;
  private final int consecutiveLimit;
  private final IntervalFunction openFor;
  private final Clock clock;
  private final AtomicInteger consecutive = new AtomicInteger();
  private final String upstream;
  private final String instance;
  private final ResilienceListener events;
  private final TransitionWatch watch; // null: transitions come as Resilience4j events
  private volatile int openings;
  private volatile long openUntilNanos;
  private volatile long openedAtNanos;

  Breaker(
      String upstream,
      String instance,
      BreakerSpec spec,
      IntervalFunction openFor,
      Clock clock,
      ResilienceListener events) {
    this.consecutiveLimit = spec.consecutiveFailures();
    this.openFor = openFor;
    this.clock = clock;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .clock(new JavaClock(clock))
            .slidingWindow(
                (int) spec.window().toSeconds(),
                spec.minimumCalls(),
                CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
            .failureRateThreshold((float) (spec.failureRate() * 100))
            .slowCallRateThreshold((float) (spec.slowCallRate() * 100))
            .slowCallDurationThreshold(spec.slowCallDuration())
            .waitIntervalFunctionInOpenState(openFor)
            .permittedNumberOfCallsInHalfOpenState(spec.halfOpenCalls())
            // Open -> half-open happens on the next call after the wait, never on a library thread.
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .writableStackTraceEnabled(false)
            .build();
    this.cb = CircuitBreaker.of(instance == null ? upstream : upstream + "/" + instance, config);
    this.upstream = upstream;
    this.instance = instance;
    this.events = events;
    // Watching the state reference rather than registering an event consumer: with a consumer,
    // Resilience4j makes an event object for every recorded call (see TransitionWatch).
    this.watch = TransitionWatch.of(cb, this::transitioned);
    if (watch == null) {
      cb.getEventPublisher()
          .onStateTransition(
              e ->
                  transitioned(
                      e.getStateTransition().getFromState(), e.getStateTransition().getToState()));
    }
  }

  private void transitioned(CircuitBreaker.State fromState, CircuitBreaker.State toState) {
    BreakerState from = map(fromState);
    BreakerState to = map(toState);
    consecutive.set(0);
    if (to == BreakerState.OPEN) {
      // Mirrors Resilience4j's attempt count: the first opening is 1, reopening from half-open
      // adds 1.
      openings = from == BreakerState.HALF_OPEN ? openings + 1 : 1;
      openedAtNanos = clock.nanoTime();
      openUntilNanos = openedAtNanos + openFor.apply(openings) * 1_000_000L;
    } else if (to == BreakerState.CLOSED) {
      openings = 0;
    }
    events.breakerTransition(upstream, instance, from, to);
  }

  /** True when transitions are seen without a Resilience4j event consumer (nothing per call). */
  boolean eventFree() {
    return watch != null;
  }

  private static BreakerState map(CircuitBreaker.State s) {
    return switch (s) {
      case OPEN, FORCED_OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      default -> BreakerState.CLOSED;
    };
  }

  /**
   * True when a call may go; the caller must then {@link #record} or {@link #release} exactly once.
   */
  boolean tryAcquire() {
    if (watch == null) {
      return cb.tryAcquirePermission();
    }
    Object quiet = watch.quiet();
    if (quiet != null) {
      boolean permitted = cb.tryAcquirePermission();
      watch.after(quiet);
      return permitted;
    }
    synchronized (watch) {
      watch.observe();
      boolean permitted = cb.tryAcquirePermission();
      watch.observe();
      return permitted;
    }
  }

  /** Gives back a permission whose call was never made. */
  void release() {
    cb.releasePermission();
  }

  void record(Verdict verdict, long durationNanos) {
    if (watch == null) {
      recordNow(verdict, durationNanos);
      return;
    }
    // While closed and observed, without the lock like an acquire (the event loops would otherwise
    // meet on this lock for every call): the one transition such a record can make, closed to open,
    // is observed right after, and no later one can precede that observation (see TransitionWatch).
    Object quiet = watch.quiet();
    if (quiet != null) {
      recordNow(verdict, durationNanos);
      watch.after(quiet);
      return;
    }
    synchronized (watch) {
      watch.observe();
      recordNow(verdict, durationNanos);
      watch.observe();
    }
  }

  private void recordNow(Verdict verdict, long durationNanos) {
    switch (verdict) {
      case SUCCESS -> {
        // Read first: a write on every success would move the counter's cache line between the
        // event loops on every call, though it is almost always 0 already.
        if (consecutive.get() != 0) {
          consecutive.set(0);
        }
        cb.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
      }
      case FAILURE -> {
        cb.onError(durationNanos, TimeUnit.NANOSECONDS, FAILED);
        if (consecutiveLimit > 0
            && consecutive.incrementAndGet() >= consecutiveLimit
            && cb.getState() == CircuitBreaker.State.CLOSED) {
          try {
            cb.transitionToOpenState();
          } catch (IllegalStateException raced) {
            // Another call opened it first (transitions are atomic); nothing left to do.
          }
        }
      }
      case IGNORED -> cb.releasePermission();
    }
  }

  BreakerState state() {
    return map(cb.getState());
  }

  /** When the breaker last opened, on the clock. */
  long openedAtNanos() {
    return openedAtNanos;
  }

  /** Time until the open period ends (at least 1s, as Retry-After counts whole seconds). */
  Duration retryAfter() {
    long left = openUntilNanos - clock.nanoTime();
    return Duration.ofNanos(Math.max(left, 1_000_000_000L));
  }

  static Breaker forUpstream(
      String upstream, BreakerSpec spec, Clock clock, ResilienceListener events) {
    return new Breaker(upstream, null, spec, IntervalFunction.of(spec.openFor()), clock, events);
  }
}
