package dev.medley.upstream.resilience;

/**
 * The states of a circuit breaker, as reported to listeners (independent of the library behind it).
 */
public enum BreakerState {
  /** Calls flow; failures are being counted. */
  CLOSED,
  /** Calls fail at once until the open period passes. */
  OPEN,
  /** A few probe calls decide between closing and opening again. */
  HALF_OPEN
}
