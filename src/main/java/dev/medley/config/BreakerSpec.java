package dev.medley.config;

import java.time.Duration;

/**
 * A circuit breaker: when it opens, calls fail at once (into the step's fallback) until {@code
 * openFor} passes; then {@code halfOpenCalls} probes decide between closing and opening again. The
 * same thresholds drive the per-instance breakers of a multi-instance upstream.
 *
 * @param consecutiveFailures opens after this many failures in a row, 5 by default; 0 disables this
 *     rule
 * @param failureRate opens when at least this share of the calls in the window failed, 0.5 (written
 *     {@code 50%}) by default
 * @param slowCallRate opens when at least this share of the calls in the window were slow, 1.0
 *     ({@code 100%}) by default
 * @param slowCallDuration a call taking longer than this is slow, 1s by default
 * @param window how far back the rates look (whole seconds), 10s by default
 * @param minimumCalls the rates are only judged once the window holds this many calls, 20 by
 *     default
 * @param openFor how long the breaker stays open before probing, 10s by default
 * @param halfOpenCalls probes let through when half-open, 3 by default
 */
public record BreakerSpec(
    int consecutiveFailures,
    double failureRate,
    double slowCallRate,
    Duration slowCallDuration,
    Duration window,
    int minimumCalls,
    Duration openFor,
    int halfOpenCalls) {

  /** The defaults, used when an upstream has no {@code breaker:} section. */
  public static final BreakerSpec DEFAULT =
      new BreakerSpec(
          5,
          0.5,
          1.0,
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          20,
          Duration.ofSeconds(10),
          3);
}
