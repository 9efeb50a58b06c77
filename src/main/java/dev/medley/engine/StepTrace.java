package dev.medley.engine;

/**
 * What happened to one step in one request, for logs, metrics and explain output.
 *
 * @param step step name
 * @param outcome {@code ok}, {@code skipped}, {@code degraded} or {@code failed}
 * @param reason failure kind when not ok (e.g. TIMEOUT, STATUS), else null
 * @param startNanos start offset from the request start, -1 if it never started
 * @param endNanos end offset from the request start, -1 if it never ended
 * @param calls upstream calls the step made
 */
public record StepTrace(String step, String outcome, String reason, long startNanos, long endNanos, int calls) {}
