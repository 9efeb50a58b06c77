package dev.medley.engine;

import dev.medley.upstream.UpstreamException;

/** A step failed; {@code kind} says why (upstream kinds, or TEMPLATE/EXPRESSION/CLIENT_INPUT). */
final class StepException extends RuntimeException {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StepException.class.getName());
  final String kind;
  final boolean deadline;
  final boolean clientFault;
  /** For a call refused locally (REJECTED): when to try again; else null. */
  final java.time.Duration retryAfter;

  StepException(String kind, String message, boolean deadline, boolean clientFault) {
    this(kind, message, deadline, clientFault, null);
  }

  private StepException(String kind, String message, boolean deadline, boolean clientFault, java.time.Duration retryAfter) {
    super(message, null, false, false);
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
      return new StepException(u.kind().name(), u.getMessage(), u.kind() == UpstreamException.Kind.DEADLINE, false,
          u.kind() == UpstreamException.Kind.REJECTED ? u.retryAfter() : null);
    }
    if (t instanceof dev.medley.plan.TemplateException te) {
      return new StepException("TEMPLATE", te.getMessage(), false, te.clientFault());
    }
    if (t instanceof dev.medley.plan.Expr.ExprException e) {
      // The client learns which expression (a config location); the evaluator's words go to the log.
      LOG.warning(() -> "expression at " + e.where() + " could not be evaluated: " + e.detail());
      return new StepException("EXPRESSION", "its expression at " + e.where() + " could not be evaluated", false, false);
    }
    return new StepException("INTERNAL", "internal error", false, false);
  }
}
