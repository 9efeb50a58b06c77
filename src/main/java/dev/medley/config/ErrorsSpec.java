package dev.medley.config;

/**
 * How a route answers when its steps fail, beyond the default 502/504 problem.
 *
 * @param passErrors statuses of the route's critical steps passed to the client, or null (every
 *     critical failure is a problem: 502, 503 or 504)
 * @param allOptionalFailed what the route answers when every optional step that ran failed
 */
public record ErrorsSpec(PassErrorsSpec passErrors, AllOptionalFailed allOptionalFailed) {

  /** What a route answers when each of its optional steps that ran fell back. */
  public enum AllOptionalFailed {
    /** A 200 marked partial, from the fallbacks (the default). */
    PARTIAL,
    /** A 502 problem naming the failed steps. */
    FAIL
  }
}
