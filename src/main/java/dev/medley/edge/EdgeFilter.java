package dev.medley.edge;

import io.vertx.core.Future;
import java.util.List;

/**
 * An inbound decorator (auth, rate limit, CORS, cache, logging ...): may answer itself or call
 * {@code next}. Same shape as {@link dev.medley.upstream.UpstreamPolicy}, so each can be read
 * alone.
 */
@FunctionalInterface
public interface EdgeFilter {
  Future<Reply> apply(EdgeRequest request, EdgeHandler next);

  /** Wraps {@code terminal} so that {@code filters.get(0)} runs first. */
  static EdgeHandler chain(List<EdgeFilter> filters, EdgeHandler terminal) {
    EdgeHandler h = terminal;
    for (int i = filters.size() - 1; i >= 0; i--) {
      EdgeFilter f = filters.get(i);
      EdgeHandler next = h;
      h = req -> f.apply(req, next);
    }
    return h;
  }
}
