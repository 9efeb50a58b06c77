package dev.medley.engine;

import dev.medley.upstream.UpstreamException;

/** A step failed; {@code kind} says why (upstream kinds, or TEMPLATE/EXPRESSION/CLIENT_INPUT). */
final class StepException extends RuntimeException {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(StepException.class.getName());
  final String kind;
  final boolean deadline;
  final boolean clientFault;

  /** For a call refused locally (REJECTED): when to try again; else null. */
  final java.time.Duration retryAfter;

  /**
   * For an EXPRESSION failure: the expression's config location (file:line:column and key path);
   * else null.
   */
  final String where;

  /**
   * For a STATUS failure: the upstream's answer (status, headers, body), which the route may pass
   * to the client; else null.
   */
  final dev.medley.upstream.UpstreamResponse answer;

  StepException(String kind, String message, boolean deadline, boolean clientFault) {
    this(kind, message, deadline, clientFault, null, null, null);
  }

  private StepException(
      String kind,
      String message,
      boolean deadline,
      boolean clientFault,
      java.time.Duration retryAfter,
      String where,
      dev.medley.upstream.UpstreamResponse answer) {
    super(message, null, false, false);
    this.answer = answer;
    this.where = where;
    this.kind = kind;
    this.deadline = deadline;
    this.clientFault = clientFault;
    this.retryAfter = retryAfter;
  }

  static StepException of(Throwable t) {
    if (t instanceof StepException s) {
      return s;
    }
    if (t instanceof UpstreamException u) {
      return new StepException(
          u.kind().name(),
          u.getMessage(),
          u.kind() == UpstreamException.Kind.DEADLINE,
          false,
          u.kind() == UpstreamException.Kind.REJECTED ? u.retryAfter() : null,
          null,
          u.answer());
    }
    if (t instanceof dev.medley.plan.TemplateException te) {
      return new StepException("TEMPLATE", te.getMessage(), false, te.clientFault());
    }
    if (t instanceof dev.medley.plan.Expr.ExprException e) {
      // The client learns which expression (a config location); the evaluator's words go to the
      // log.
      LOG.warning(() -> "expression at " + e.where() + " could not be evaluated: " + e.detail());
      return expression("its expression at " + e.where() + " could not be evaluated", e.where());
    }
    return new StepException("INTERNAL", "internal error", false, false);
  }

  /**
   * A step's expression failed; {@code where} is its config location, for the 502 detail and
   * explain.
   */
  static StepException expression(String message, String where) {
    return new StepException("EXPRESSION", message, false, false, null, where, null);
  }
}
