package dev.medley.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.plan.ParamRule;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step graph of every route, grouped by experience ({@code GET /admin/routes}). Each step has
 * the steps it waits for ({@code dependsOn}) and its {@code wave}: the length of the longest chain
 * of steps before it. Steps of one wave have no path between them, so they run in parallel; a step
 * starts as soon as the steps it depends on have finished.
 */
public final class RouteGraph {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private RouteGraph() {}

  /** {@code {"version": ..., "experiences": [{"name", "routes": [...]}]}}. */
  public static ObjectNode render(Plan plan) {
    Map<String, ArrayNode> byExperience = new LinkedHashMap<>();
    for (RoutePlan r : plan.routes()) {
      byExperience.computeIfAbsent(r.experience(), e -> JSON.arrayNode()).add(route(r));
    }
    ObjectNode out = JSON.objectNode();
    out.put("version", plan.version());
    ArrayNode experiences = out.putArray("experiences");
    byExperience.forEach(
        (name, routes) -> experiences.addObject().put("name", name).set("routes", routes));
    return out;
  }

  static ObjectNode route(RoutePlan r) {
    ObjectNode o = JSON.objectNode();
    o.put("id", r.id());
    o.put("method", r.method());
    o.put("path", r.template());
    o.put("deadlineMs", r.deadline().toMillis());
    ArrayNode params = o.putArray("params");
    for (ParamRule p : r.params()) {
      if (p != null) {
        params
            .addObject()
            .put("name", p.name())
            .put("in", "path")
            .put("type", p.type())
            .put("pattern", p.pattern() == null ? null : p.pattern().pattern());
      }
    }
    r.query()
        .values()
        .forEach(
            p ->
                params
                    .addObject()
                    .put("name", p.name())
                    .put("in", "query")
                    .put("type", p.type())
                    .put("pattern", p.pattern() == null ? null : p.pattern().pattern())
                    .put("required", p.required()));
    int[] waves = waves(r.steps(), r.order());
    ArrayNode steps = o.putArray("steps");
    int depth = 0;
    for (StepPlan s : r.steps()) {
      ObjectNode n = steps.addObject();
      n.put("name", s.name())
          .put("upstream", s.upstream())
          .put("method", s.method())
          .put("optional", s.optional());
      n.put("wave", waves[s.index()]);
      depth = Math.max(depth, waves[s.index()] + 1);
      if (s.when() != null) {
        n.put("when", s.when().source());
      }
      if (s.forEach() != null) {
        n.put("forEach", s.forEach().source());
      }
      ArrayNode deps = n.putArray("dependsOn");
      for (int d : s.deps()) {
        deps.add(r.steps()[d].name());
      }
    }
    o.put("waves", depth);
    return o;
  }

  /**
   * Longest chain of dependencies before each step; {@code order} lists every step after its
   * dependencies.
   */
  static int[] waves(StepPlan[] steps, int[] order) {
    int[] wave = new int[steps.length];
    for (int i : order) {
      int w = 0;
      for (int d : steps[i].deps()) {
        w = Math.max(w, wave[d] + 1);
      }
      wave[i] = w;
    }
    return wave;
  }
}
