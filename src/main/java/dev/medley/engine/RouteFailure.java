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
  private final Passed passed;
  private List<StepTrace> trace = List.of();
  private com.fasterxml.jackson.databind.node.ObjectNode members;

  /**
   * What of an upstream's error answer passes to the client with its status ({@code passErrors}).
   *
   * @param retryAfter the upstream's {@code Retry-After}, verbatim (delta-seconds or HTTP date), or
   *     null
   * @param contentType the upstream's content type, when its body passes; else null
   * @param body the upstream's body, when it passes (allowed type, within the size limit); else
   *     null, and the client gets a problem+json with the upstream's status
   */
  public record Passed(String retryAfter, String contentType, io.vertx.core.buffer.Buffer body) {}

  public RouteFailure(int status, String title, String detail, String step) {
    this(status, title, detail, step, null);
  }

  public RouteFailure(
      int status, String title, String detail, String step, java.time.Duration retryAfter) {
    this(status, title, detail, step, retryAfter, null);
  }

  private RouteFailure(
      int status,
      String title,
      String detail,
      String step,
      java.time.Duration retryAfter,
      Passed passed) {
    super(detail, null, false, false);
    this.passed = passed;
    this.status = status;
    this.title = title;
    this.step = step;
    this.retryAfter = retryAfter;
  }

  /** When the client may try again (sent as Retry-After), or null. */
  public java.time.Duration retryAfter() {
    return retryAfter;
  }

  /** The upstream answer's parts passed to the client, or null for a gateway problem. */
  public Passed passed() {
    return passed;
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

  /** A critical step's upstream error, passed to the client with its own status. */
  static RouteFailure passed(String step, int status, String detail, Passed passed) {
    io.netty.handler.codec.http.HttpResponseStatus s =
        io.netty.handler.codec.http.HttpResponseStatus.valueOf(status);
    return new RouteFailure(status, s.reasonPhrase(), detail, step, null, passed);
  }

  static RouteFailure badRequest(String step, String detail) {
    return new RouteFailure(400, "Bad Request", detail, step);
  }
}
