package dev.medley.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import java.util.Map;

/** Compiled plans from YAML for tests that run the engine without a gateway. */
public final class Plans {
  private Plans() {}

  /** The plan of a whole config; fails the test with the config errors when it does not compile. */
  public static Plan compile(String yaml) {
    PlanCompiler.Result r =
        PlanCompiler.compile(new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec(), "v1");
    if (!r.ok()) {
      throw new AssertionError("the test config does not compile: " + r.errors());
    }
    return r.plan();
  }

  /**
   * The only route of a config with upstreams {@code a}, {@code b} and {@code c} (URLs that are
   * never dialled) and one experience, {@code web}, whose routes are {@code routesYaml} (indented
   * by 6).
   */
  public static RoutePlan route(String routesYaml) {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
          b: { url: "http://127.0.0.1:9" }
          c: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
        """
            + routesYaml.indent(6);
    return compile(yaml).routes().get(0);
  }

  /** A scope with path parameters only (no query, headers, claims or body). */
  public static Scope scope(RoutePlan route, Map<String, String> params) {
    return new Scope(
        params,
        Map.of(),
        Map.of(),
        JsonNodeFactory.instance.objectNode(),
        null,
        route.steps().length);
  }
}
