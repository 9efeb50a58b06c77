package dev.medley.upstream;

import io.vertx.core.Future;

/**
 * An outbound decorator (retry, breaker, bulkhead, cache, tracing ...): sees the request, may call
 * {@code next} zero or more times, and returns the answer. Same shape as the edge's filters.
 */
@FunctionalInterface
public interface UpstreamPolicy {
  Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next);

  /** Wraps {@code terminal} so that {@code policies.get(0)} runs first. */
  static UpstreamCall chain(java.util.List<UpstreamPolicy> policies, UpstreamCall terminal) {
    UpstreamCall call = terminal;
    for (int i = policies.size() - 1; i >= 0; i--) {
      UpstreamPolicy p = policies.get(i);
      UpstreamCall next = call;
      call = req -> p.apply(req, next);
    }
    return call;
  }
}
