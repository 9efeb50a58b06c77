package dev.medley.engine;

/**
 * What happened to one step in one request, for logs, metrics and explain output.
 *
 * @param step step name
 * @param outcome {@code ok}, {@code skipped}, {@code degraded} or {@code failed}
 * @param reason failure kind when not ok (e.g. TIMEOUT, STATUS), else null
 * @param startNanos start offset from the request start, -1 if it never started
 * @param endNanos end offset from the request start, -1 if it never ended
 * @param calls upstream calls the step made (one per forEach item or batch chunk)
 * @param attempts HTTP exchanges the finished calls needed, retries included; 0 when a cache
 *     answered
 * @param cache {@code none} (no cache consulted), {@code hit}, {@code miss}, {@code stale}, or
 *     {@code mixed} when the step's calls had different results
 * @param where for a step failed by its own expression ({@code when}, {@code forEach}, {@code
 *     select}, a template's value): the expression's config location, file:line:column (key path);
 *     else null
 */
public record StepTrace(
    String step,
    String outcome,
    String reason,
    long startNanos,
    long endNanos,
    int calls,
    int attempts,
    String cache,
    String where) {
  /** A trace with no expression location. */
  public StepTrace(
      String step,
      String outcome,
      String reason,
      long startNanos,
      long endNanos,
      int calls,
      int attempts,
      String cache) {
    this(step, outcome, reason, startNanos, endNanos, calls, attempts, cache, null);
  }
}
