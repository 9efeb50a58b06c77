package dev.medley.engine;

import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Executes compiled routes. Stateless apart from its collaborators; one instance serves every
 * request and every plan version.
 */
public final class Engine {
  private final Clock clock;

  public Engine(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code route} with the request's inputs in {@code scope}. Completes with the composed
   * body, or fails with a {@link RouteFailure} (502, 504 or 400).
   */
  public Future<Composed> execute(RoutePlan route, Scope scope, Upstreams upstreams, String requestId) {
    return execute(route, scope, upstreams, requestId, Map.of());
  }

  /**
   * As {@link #execute(RoutePlan, Scope, Upstreams, String)}; every upstream call also carries the
   * {@code propagated} headers (the request's trace context).
   */
  public Future<Composed> execute(RoutePlan route, Scope scope, Upstreams upstreams, String requestId,
      Map<String, String> propagated) {
    return new Execution(route, scope, upstreams, clock, requestId, propagated).run();
  }
}
