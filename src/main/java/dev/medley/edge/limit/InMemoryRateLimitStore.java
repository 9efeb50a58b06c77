package dev.medley.edge.limit;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this process, kept as a generic cell rate algorithm: per bucket only the
 * theoretical arrival time (TAT) is stored, and a request is allowed while TAT is at most {@code
 * (burst - 1) * interval} ahead of now. Integer nanoseconds, so the arithmetic is exact on a manual
 * clock. Full buckets are forgotten when the map grows past {@code maxBuckets}.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
  private final ConcurrentHashMap<String, Long> tat = new ConcurrentHashMap<>();
  private final int maxBuckets;

  public InMemoryRateLimitStore(int maxBuckets) {
    this.maxBuckets = maxBuckets;
  }

  @Override
  public Future<Decision> acquire(String bucket, BucketLimit limit, long now) {
    long interval = limit.intervalNanos();
    long tolerance = (limit.burst() - 1L) * interval;
    Decision[] out = new Decision[1];
    tat.compute(
        bucket,
        (k, previous) -> {
          long t = previous == null ? now : Math.max(previous, now);
          if (t - now > tolerance) {
            out[0] = new Decision(false, 0, t - now - tolerance, t - now);
            return previous;
          }
          long next = t + interval;
          long remaining = (tolerance + interval - (next - now)) / interval;
          out[0] = new Decision(true, remaining, 0, next - now);
          return next;
        });
    if (tat.size() > maxBuckets) {
      // Buckets whose TAT has passed are full: dropping them changes no decision.
      tat.entrySet().removeIf(e -> e.getValue() <= now);
    }
    return Future.succeededFuture(out[0]);
  }

  /** Buckets currently remembered; for tests of the memory bound. */
  public int size() {
    return tat.size();
  }
}
