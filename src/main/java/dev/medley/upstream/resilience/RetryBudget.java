package dev.medley.upstream.resilience;

import dev.medley.config.RetrySpec;
import dev.medley.time.Clock;

/**
 * How many retries an upstream may receive: over a sliding window, at most {@code ratio} of the
 * calls plus {@code minPerSecond} per second of the window. A brown-out therefore adds at most that
 * share of load, instead of multiplying it by the attempt count. The window is ten buckets on the
 * injected clock. Thread-safe (shared by every event loop).
 */
final class RetryBudget {
  private static final int BUCKETS = 10;

  private final Clock clock;
  private final double ratio;
  private final double minRetries;
  private final long bucketNanos;
  private final long[] calls = new long[BUCKETS];
  private final long[] retries = new long[BUCKETS];
  private final long[] bucketIndex = new long[BUCKETS];

  RetryBudget(RetrySpec.BudgetSpec spec, Clock clock) {
    this.clock = clock;
    this.ratio = spec.ratio();
    this.minRetries = spec.minPerSecond() * (spec.window().toNanos() / 1e9);
    this.bucketNanos = Math.max(1, spec.window().toNanos() / BUCKETS);
    java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
  }

  /** Counts a call (its first attempt). */
  synchronized void onCall() {
    calls[bucket()]++;
  }

  /** Takes one retry from the budget; false when it is spent. */
  synchronized boolean tryRetry() {
    int now = bucket();
    long c = 0;
    long r = 0;
    for (int i = 0; i < BUCKETS; i++) {
      c += calls[i];
      r += retries[i];
    }
    if (r + 1 > ratio * c + minRetries) {
      return false;
    }
    retries[now]++;
    return true;
  }

  /** The current bucket, after clearing buckets that fell out of the window. */
  private int bucket() {
    long index = Math.floorDiv(clock.nanoTime(), bucketNanos);
    int slot = (int) Math.floorMod(index, (long) BUCKETS);
    if (bucketIndex[slot] != index) {
      for (int i = 0; i < BUCKETS; i++) {
        if (bucketIndex[i] <= index - BUCKETS) {
          calls[i] = 0;
          retries[i] = 0;
        }
      }
      bucketIndex[slot] = index;
      calls[slot] = 0;
      retries[slot] = 0;
    }
    return slot;
  }
}
