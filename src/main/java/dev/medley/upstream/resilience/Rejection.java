package dev.medley.upstream.resilience;

/** Why a call was refused without being sent. */
public enum Rejection {
  /** The upstream's circuit breaker is open (or half-open with its probes taken). */
  BREAKER_OPEN,
  /** {@code maxConcurrent} calls were in flight and {@code maxQueue} were waiting. */
  BULKHEAD_FULL,
  /** Every instance was ejected or busy probing, within {@code maxEjectionPercent}. */
  NO_INSTANCE
}
