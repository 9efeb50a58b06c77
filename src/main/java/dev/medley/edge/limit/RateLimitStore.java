package dev.medley.edge.limit;

import io.vertx.core.Future;

/**
 * Where bucket state lives. The in-memory store serves one process; a shared store (Redis) lets
 * replicas share budgets by implementing the same one method, atomically per bucket.
 */
@FunctionalInterface
public interface RateLimitStore {
  /**
   * Takes one token from {@code bucket} if it has one. {@code nowNanos} is the caller's clock
   * reading, so every store agrees with the injected clock.
   */
  Future<Decision> acquire(String bucket, BucketLimit limit, long nowNanos);
}
