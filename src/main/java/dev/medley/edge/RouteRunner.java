package dev.medley.edge;

import dev.medley.plan.Scope;
import io.vertx.core.Future;
import java.util.List;

/**
 * Runs a matched route once its inputs are bound into a {@link Scope}: the executor, the shaper and
 * the encoder ({@link RouteHandler#executor}), and what decorates them, the response cache. A
 * decorator sees the request, the bound scope (step results included once the route ran) and
 * whether the answer degraded, and it works on the encoded reply, so an answer is encoded once.
 */
@FunctionalInterface
public interface RouteRunner {
  Future<Answer> run(EdgeRequest request, Scope scope);

  /**
   * An encoded answer to one request.
   *
   * @param reply status, headers and the encoded body (a problem when the route failed)
   * @param degraded true when some step fell back or was served stale: the answer is partial
   */
  record Answer(Reply reply, boolean degraded) {}

  /** Wraps the runner, e.g. to answer from a cache; same shape as {@link EdgeFilter}. */
  @FunctionalInterface
  interface Decorator {
    Future<Answer> apply(EdgeRequest request, Scope scope, RouteRunner next);
  }

  /** {@code terminal} wrapped so that {@code decorators.get(0)} runs first. */
  static RouteRunner decorate(List<Decorator> decorators, RouteRunner terminal) {
    RouteRunner r = terminal;
    for (int i = decorators.size() - 1; i >= 0; i--) {
      Decorator d = decorators.get(i);
      RouteRunner next = r;
      r = (req, scope) -> d.apply(req, scope, next);
    }
    return r;
  }
}
