package dev.medley.plan;

import dev.medley.config.Problems;
import dev.medley.config.RouteSpec;
import dev.medley.config.StaticSpec;
import dev.medley.config.StepSpec;
import java.util.List;
import java.util.Set;

/**
 * Load-time checks of the call patterns that {@link PlanCompiler} cannot see step by step: nothing
 * may read a shadow step, and a route's {@code static:} members must have an object answer to merge
 * into and must not collide with the answer's own members.
 */
final class CallPatterns {
  private CallPatterns() {}

  /**
   * Reports every step, and the response, that reads a shadow step, and shadow steps with keys that
   * mean nothing for them.
   */
  static void checkShadows(
      List<StepSpec> specs,
      int[][] deps,
      Set<Integer> responseDeps,
      RouteSpec route,
      String keyPath,
      Problems problems) {
    boolean any = false;
    for (StepSpec s : specs) {
      if (s.shadow() == null) {
        continue;
      }
      any = true;
      String at = keyPath + ".steps." + s.name();
      if (s.optional()) {
        problems.add(
            s.at(),
            at + ".optional",
            "a shadow step is never awaited and never makes the answer partial, so optional has"
                + " no meaning (remove optional or shadow)");
      }
      if (s.cache() != null) {
        problems.add(
            s.at(),
            at + ".cache",
            "a shadow step exists to send real traffic to its upstream; cache would answer in its"
                + " place (remove cache or shadow)");
      }
    }
    if (!any) {
      return;
    }
    for (int i = 0; i < specs.size(); i++) {
      if (deps[i] == null) {
        continue;
      }
      for (int d : deps[i]) {
        if (specs.get(d).shadow() != null) {
          StepSpec s = specs.get(i);
          problems.add(
              s.at(),
              keyPath + ".steps." + s.name(),
              "step '"
                  + s.name()
                  + "' reads shadow step '"
                  + specs.get(d).name()
                  + "', whose result is never available (a shadow step is sent but never"
                  + " awaited; remove shadow: from it, or read another step)");
        }
      }
    }
    for (int d : responseDeps) {
      if (d >= 0 && d < specs.size() && specs.get(d).shadow() != null) {
        problems.add(
            route.response() == null ? route.at() : route.response().at(),
            keyPath + ".response",
            "the response reads shadow step '"
                + specs.get(d).name()
                + "', whose result is never available (a shadow step is sent but never awaited;"
                + " remove shadow: from it, or leave it out of the response)");
      }
    }
  }

  /** Reports static members that cannot be merged into the route's answer. */
  static void checkStatic(RouteSpec route, Shape response, String keyPath, Problems problems) {
    StaticSpec st = route.statics();
    if (st == null || response == null) {
      return;
    }
    boolean onSuccess =
        st.on().contains(StaticSpec.COMPLETE) || st.on().contains(StaticSpec.PARTIAL);
    if (!onSuccess) {
      return;
    }
    if (response instanceof Shape.Obj obj) {
      for (String name : obj.names()) {
        if (st.data().has(name)) {
          problems.add(
              st.at(),
              keyPath + ".static.data." + name,
              "'"
                  + name
                  + "' is also a member of the response (rename one of them: static members are"
                  + " merged beside the response's own)");
        }
      }
      if (st.data().has("_partial")) {
        problems.add(
            st.at(),
            keyPath + ".static.data._partial",
            "'_partial' is reserved: it marks degraded answers");
      }
    } else if (response instanceof Shape.Arr
        || (response instanceof Shape.Lit l && !l.value().isObject())) {
      // Other shapes (an expression, a shaping form) are known only at run time: an object answer
      // gets the members, any other answer is left as it is.
      problems.add(
          st.at(),
          keyPath + ".static",
          "the response is not an object, so static members have nothing to merge into (make the"
              + " response a mapping, or use static.on: failed)");
    }
  }

  /** Whether any step of the list is a shadow step. */
  static boolean hasShadow(StepPlan[] steps) {
    for (StepPlan s : steps) {
      if (s != null && s.shadow() != null) {
        return true;
      }
    }
    return false;
  }
}
