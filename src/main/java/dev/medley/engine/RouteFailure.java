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
  private List<StepTrace> trace = List.of();

  public RouteFailure(int status, String title, String detail, String step) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.step = step;
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

  static RouteFailure badGateway(String step, String detail) {
    return new RouteFailure(502, "Bad Gateway", detail, step);
  }

  static RouteFailure deadline(String step, String detail) {
    return new RouteFailure(504, "Gateway Timeout", detail, step);
  }

  static RouteFailure badRequest(String step, String detail) {
    return new RouteFailure(400, "Bad Request", detail, step);
  }
}
