package dev.medley.engine;

import dev.medley.observe.Metrics;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Executes compiled routes. One instance serves every request and every plan version; its only
 * state is shared across requests on purpose: the step cache and the open cross-request batch
 * windows.
 */
public final class Engine {
  private final Clock clock;
  private final StepCache cache;
  private final BatchWindows windows;
  private final Metrics metrics;

  public Engine(Clock clock) {
    this(clock, StepCache.NONE);
  }

  public Engine(Clock clock, StepCache cache) {
    this(clock, cache, Metrics.NOOP);
  }

  /** {@code metrics} counts what no answer shows: the outcomes of shadow calls. */
  public Engine(Clock clock, StepCache cache, Metrics metrics) {
    this.clock = clock;
    this.cache = cache;
    this.windows = new BatchWindows(clock);
    this.metrics = metrics;
  }

  /**
   * Counters of cross-request batching.
   *
   * @param calls batch calls sent through windows
   * @param items distinct items those calls carried
   * @param queued items waiting now in open windows
   */
  public record BatchStats(long calls, long items, long queued) {}

  public BatchStats batchStats() {
    return new BatchStats(windows.calls(), windows.items(), windows.queued());
  }

  /**
   * Runs {@code route} with the request's inputs in {@code scope}. Completes with the composed
   * body, or fails with a {@link RouteFailure} (502, 504 or 400).
   */
  public Future<Composed> execute(
      RoutePlan route, Scope scope, Upstreams upstreams, String requestId) {
    return execute(route, scope, upstreams, requestId, Map.of());
  }

  /**
   * As {@link #execute(RoutePlan, Scope, Upstreams, String)}; every upstream call also carries the
   * {@code propagated} headers (the request's trace context).
   */
  public Future<Composed> execute(
      RoutePlan route,
      Scope scope,
      Upstreams upstreams,
      String requestId,
      Map<String, String> propagated) {
    return new Execution(
            route, scope, upstreams, clock, requestId, propagated, cache, windows, metrics)
        .run();
  }
}
