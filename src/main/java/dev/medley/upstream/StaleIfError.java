package dev.medley.upstream;

import io.vertx.core.Future;

/**
 * Stale-if-error: a source of earlier answers to serve when a call fails (RFC 5861). The engine asks
 * it after a step's call has failed for an upstream reason (after retries, or at once when the
 * breaker is open); a stale answer becomes the step's result and the step is reported degraded
 * (reason {@code STALE}), so the response is marked partial. Implemented by the step cache; the
 * default has nothing.
 */
@FunctionalInterface
public interface StaleIfError {
  /** Never has a stale answer. */
  StaleIfError NONE = (upstream, request, failure) -> Future.succeededFuture();

  /**
   * A stale answer for {@code request} to {@code upstream}, which failed with {@code failure}; a
   * future of null when there is none. Must not block; should answer from memory.
   */
  Future<UpstreamResponse> stale(String upstream, UpstreamRequest request, Throwable failure);
}
