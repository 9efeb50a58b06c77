package dev.medley.engine;

import dev.medley.observe.TelemetryNames;
import dev.medley.upstream.CallNotes;

/**
 * The one record of a step in one request while it runs: its outcome, timing, calls and cache
 * results, written by {@link Execution} and {@link StepRunner} and read once as a {@link
 * StepTrace}. Touched only on the request's own event loop.
 */
final class StepRecord {
  static final String OK = "ok";
  static final String SKIPPED = "skipped";
  static final String DEGRADED = "degraded";
  static final String FAILED = "failed";
  static final String SHADOW = TelemetryNames.STEP_SHADOW;

  private final String step;
  private String outcome;
  private String reason;
  private long started = -1;
  private long ended = -1;
  private int calls;
  private int attempts;
  private String cache;
  private String where;

  StepRecord(String step) {
    this.step = step;
  }

  boolean settled() {
    return outcome != null;
  }

  void started(long offsetNanos) {
    started = offsetNanos;
  }

  /** Ends the step: {@code what} is one of the outcomes, {@code why} its reason or null. */
  void settle(String what, String why, long offsetNanos) {
    outcome = what;
    reason = why;
    ended = offsetNanos;
  }

  /** The config location of the expression that failed the step (explain shows it). */
  void failedAt(String expressionWhere) {
    where = expressionWhere;
  }

  /** One more upstream call sent for this step. */
  void called() {
    calls++;
  }

  /** Adds a finished call's attempts and cache result to the step's. */
  void noted(CallNotes notes) {
    attempts += notes.attempts();
    String result = notes.cache() == null ? TelemetryNames.NONE : notes.cache().label();
    if (cache == null) {
      cache = result;
    } else if (!cache.equals(result)) {
      cache = TelemetryNames.CACHE_MIXED;
    }
  }

  StepTrace trace() {
    return new StepTrace(
        step,
        outcome == null ? "pending" : outcome,
        reason,
        started,
        ended,
        calls,
        attempts,
        cache == null ? TelemetryNames.NONE : cache,
        where);
  }
}
