package dev.medley.upstream.resilience;

/**
 * Receives resilience events, e.g. to turn them into metrics. Called on the thread where the event
 * happened (usually an event loop): implementations must be fast and must not block. Every method
 * has an empty default, so a listener implements only what it needs.
 *
 * <p>Labels are bounded: {@code upstream} is a configured upstream name and {@code instance} is the
 * {@code host:port} of one of its configured URLs (null for the upstream's own breaker).
 */
public interface ResilienceListener {
  /** A listener that ignores everything. */
  ResilienceListener NONE = new ResilienceListener() {};

  /** A circuit breaker changed state. */
  default void breakerTransition(
      String upstream, String instance, BreakerState from, BreakerState to) {}

  /** A call was refused without being sent. */
  default void rejected(String upstream, Rejection why) {}

  /** A failed call is being tried again. */
  default void retried(String upstream) {}

  /** A retry was wanted but the upstream's retry budget was spent. */
  default void retryBudgetExhausted(String upstream) {}

  /**
   * A hedge of a call was sent, won (its answer was used) or refused (the retry budget was spent);
   * {@code outcome} is a {@code TelemetryNames.HEDGE_*} word.
   */
  default void hedge(String upstream, String outcome) {}
}
