package dev.medley.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.engine.StepTrace;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepPlan;
import java.util.List;

/**
 * A request's step traces in the shape of explain output's {@code steps} (docs/operations.md,
 * Explain mode), so the dashboard draws a sampled request and an explained one alike.
 */
final class Waterfall {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Waterfall() {}

  static ArrayNode steps(List<StepTrace> traces, RoutePlan route) {
    ArrayNode out = JSON.arrayNode();
    for (StepTrace t : traces) {
      ObjectNode o = out.addObject();
      o.put("step", t.step());
      StepPlan p = route == null ? null : route.step(t.step());
      if (p != null) {
        o.put("upstream", p.upstream());
        o.put("optional", p.optional());
        ArrayNode deps = o.putArray("dependsOn");
        for (int d : p.deps()) {
          deps.add(route.steps()[d].name());
        }
      }
      o.put("outcome", t.outcome());
      o.put("reason", t.reason());
      putMs(o, "startMs", t.startNanos());
      putMs(o, "endMs", t.endNanos());
      o.put("calls", t.calls());
      o.put("attempts", t.attempts());
      o.put("cache", t.cache());
    }
    return out;
  }

  static ArrayNode partial(List<StepTrace> traces) {
    ArrayNode out = JSON.arrayNode();
    for (StepTrace t : traces) {
      if (TelemetryNames.STEP_DEGRADED.equals(t.outcome())) {
        out.add(t.step());
      }
    }
    return out;
  }

  private static void putMs(ObjectNode o, String key, long nanos) {
    if (nanos >= 0) {
      o.put(key, ms(nanos));
    } else {
      o.putNull(key);
    }
  }

  static double ms(long nanos) {
    return nanos / 1_000L / 1_000.0;
  }
}
