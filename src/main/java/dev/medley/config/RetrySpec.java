package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * When a failed upstream call is tried again. Retries never go past the request deadline and never
 * exceed the upstream's retry budget.
 *
 * @param attempts most tries per call, the first included; 2 by default, 1 switches retries off
 * @param backoff base of the exponential back-off between tries, 25ms by default; each wait is
 *     drawn uniformly from zero to {@code min(maxBackoff, backoff * 2^(retry-1))} (full jitter)
 * @param maxBackoff cap of one back-off wait, 250ms by default
 * @param methods HTTP methods that are retried; GET and HEAD by default. Others are retried only
 *     when the call carries an {@code Idempotency-Key} header (connect failures excepted: nothing
 *     was sent)
 * @param on failures that are retried: {@code connect}, {@code reset}, {@code timeout} and status
 *     codes; connect, reset, timeout, 502, 503 and 504 by default
 * @param budget the share of calls that may be retries
 */
public record RetrySpec(
    int attempts,
    Duration backoff,
    Duration maxBackoff,
    List<String> methods,
    List<String> on,
    BudgetSpec budget) {

  /** The defaults, used when an upstream has no {@code retry:} section. */
  public static final RetrySpec DEFAULT =
      new RetrySpec(
          2,
          Duration.ofMillis(25),
          Duration.ofMillis(250),
          List.of("GET", "HEAD"),
          List.of("connect", "reset", "timeout", "502", "503", "504"),
          BudgetSpec.DEFAULT);

  /**
   * A per-upstream retry budget over a sliding window: retries may be at most {@code ratio} of the
   * calls plus {@code minPerSecond} per second of the window.
   *
   * @param ratio retries allowed per call, 0.2 (written {@code 20%}) by default
   * @param minPerSecond retries per second always allowed, so rarely called upstreams can retry; 10
   *     by default
   * @param window how far back calls and retries are counted, 10s by default
   */
  public record BudgetSpec(double ratio, int minPerSecond, Duration window) {
    /** The defaults. */
    public static final BudgetSpec DEFAULT = new BudgetSpec(0.2, 10, Duration.ofSeconds(10));
  }
}
