package dev.medley.engine;

import java.util.List;

/**
 * Why a route could not answer with a body: carries the HTTP status and a client-safe detail (step
 * names, never internal URLs). The edge renders it as problem+json.
 */
public final class RouteFailure extends RuntimeException {
  private final int status;
  private final String title;
  private final String step;
  private final java.time.Duration retryAfter;
  private List<StepTrace> trace = List.of();
  private com.fasterxml.jackson.databind.node.ObjectNode members;

  public RouteFailure(int status, String title, String detail, String step) {
    this(status, title, detail, step, null);
  }

  public RouteFailure(
      int status, String title, String detail, String step, java.time.Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.step = step;
    this.retryAfter = retryAfter;
  }

  /** When the client may try again (sent as Retry-After), or null. */
  public java.time.Duration retryAfter() {
    return retryAfter;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The step that caused it, or null. */
  public String step() {
    return step;
  }

  /** What each step had done when the route failed, for logs and explain; empty if it never ran. */
  public List<StepTrace> trace() {
    return trace;
  }

  void trace(List<StepTrace> steps) {
    this.trace = steps;
  }

  /**
   * Extra members for the problem+json body (the route's {@code static:} data), or null. Never
   * modified by the caller: it is shared by every failure of the route.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode members() {
    return members;
  }

  void members(com.fasterxml.jackson.databind.node.ObjectNode m) {
    this.members = m;
  }

  static RouteFailure badGateway(String step, String detail) {
    return new RouteFailure(502, "Bad Gateway", detail, step);
  }

  /** A critical step's upstream refused the call locally (breaker open, bulkhead full): 503. */
  static RouteFailure unavailable(String step, String detail, java.time.Duration retryAfter) {
    return new RouteFailure(503, "Service Unavailable", detail, step, retryAfter);
  }

  static RouteFailure deadline(String step, String detail) {
    return new RouteFailure(504, "Gateway Timeout", detail, step);
  }

  static RouteFailure badRequest(String step, String detail) {
    return new RouteFailure(400, "Bad Request", detail, step);
  }
}
