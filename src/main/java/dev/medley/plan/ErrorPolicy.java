package dev.medley.plan;

import dev.medley.config.ErrorsSpec;
import dev.medley.config.PassErrorsSpec;
import dev.medley.config.RouteSpec;
import dev.medley.config.StepSpec;
import java.util.List;

/**
 * A route's compiled error choices: per step, which upstream error statuses pass to the client (a
 * step's own {@code passErrors} over the route's, critical steps only), and whether a route whose
 * optional steps all failed fails. Null on a route that keeps the defaults, so such a route runs
 * exactly what it ran before.
 *
 * @param byStep per step index, what passes, or null where nothing does
 * @param failWhenAllOptionalFail true when every optional step failing is a 502
 */
public record ErrorPolicy(PassErrorsSpec[] byStep, boolean failWhenAllOptionalFail) {

  /** What passes for the step at {@code index}, or null. */
  public PassErrorsSpec pass(int index) {
    return byStep[index];
  }

  /**
   * True when some step passes errors: then, once a critical step fails, the route waits for the
   * critical steps already running and answers with the first failure in declaration order, so the
   * answer does not depend on which upstream was faster.
   */
  public boolean settlesFailures() {
    for (PassErrorsSpec p : byStep) {
      if (p != null) {
        return true;
      }
    }
    return false;
  }

  /** The policy of {@code route}, or null when it uses none of the keys. */
  static ErrorPolicy compile(RouteSpec route, List<StepSpec> steps) {
    ErrorsSpec e = route.errors();
    PassErrorsSpec routePass = e == null ? null : e.passErrors();
    PassErrorsSpec[] by = new PassErrorsSpec[steps.size()];
    boolean any = false;
    for (int i = 0; i < by.length; i++) {
      StepSpec s = steps.get(i);
      by[i] = s.optional() ? null : s.passErrors() != null ? s.passErrors() : routePass;
      any |= by[i] != null;
    }
    boolean failAll = e != null && e.allOptionalFailed() == ErrorsSpec.AllOptionalFailed.FAIL;
    return any || failAll ? new ErrorPolicy(by, failAll) : null;
  }
}
