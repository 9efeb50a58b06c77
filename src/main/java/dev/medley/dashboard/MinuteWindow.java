package dev.medley.dashboard;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Attempts to one upstream over the last minute: sixty one-second slots, each counting attempts,
 * errors and latencies in geometric buckets (each 25% wider than the one before, from 0.1 ms), so
 * p50 and p99 are read to within a bucket without keeping every sample. Recording is a few atomic
 * adds, safe from every event loop; a slot is cleared when the clock comes round to it again.
 */
final class MinuteWindow {
  static final int SECONDS = 60;

  /** Upper bounds in microseconds: 100 µs * 1.25^i; the last bucket takes everything above. */
  static final long[] BOUNDS_MICROS = bounds();

  private static final int COUNT = BOUNDS_MICROS.length;

  /** Per slot: [second, attempts, errors, bucket 0 .. bucket n]. */
  private static final int WIDTH = 3 + COUNT;

  private final AtomicLongArray slots = new AtomicLongArray(SECONDS * WIDTH);

  private static long[] bounds() {
    long[] b = new long[64];
    double v = 100;
    for (int i = 0; i < b.length; i++) {
      b[i] = (long) v;
      v *= 1.25;
    }
    return b; // the last bound is about 160 s
  }

  void record(long nowNanos, long durationNanos, boolean error) {
    long second = Math.floorDiv(nowNanos, 1_000_000_000L);
    int base = (int) Math.floorMod(second, SECONDS) * WIDTH;
    long held = slots.get(base);
    if (held != second) {
      synchronized (this) {
        if (slots.get(base) != second) {
          for (int i = 1; i < WIDTH; i++) {
            slots.set(base + i, 0);
          }
          slots.set(base, second);
        }
      }
    }
    slots.incrementAndGet(base + 1);
    if (error) {
      slots.incrementAndGet(base + 2);
    }
    slots.incrementAndGet(base + 3 + bucket(durationNanos / 1_000));
  }

  static int bucket(long micros) {
    int lo = 0;
    int hi = COUNT - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (micros <= BOUNDS_MICROS[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The last sixty seconds up to {@code nowNanos}. */
  Summary summary(long nowNanos) {
    long now = Math.floorDiv(nowNanos, 1_000_000_000L);
    long attempts = 0;
    long errors = 0;
    long[] hist = new long[COUNT];
    for (int s = 0; s < SECONDS; s++) {
      int base = s * WIDTH;
      long second = slots.get(base);
      if (second > now - SECONDS && second <= now && slots.get(base + 1) > 0) {
        attempts += slots.get(base + 1);
        errors += slots.get(base + 2);
        for (int i = 0; i < COUNT; i++) {
          hist[i] += slots.get(base + 3 + i);
        }
      }
    }
    return new Summary(
        attempts, errors, quantile(hist, attempts, 0.50), quantile(hist, attempts, 0.99));
  }

  /** The upper bound of the bucket holding the q-th attempt, in ms; NaN without attempts. */
  private static double quantile(long[] hist, long total, double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < hist.length; i++) {
      seen += hist[i];
      if (seen >= rank) {
        return BOUNDS_MICROS[i] / 1000.0;
      }
    }
    return BOUNDS_MICROS[hist.length - 1] / 1000.0;
  }

  /** Attempts and errors in the window, and latency percentiles (bucket upper bounds, ms). */
  record Summary(long attempts, long errors, double p50Ms, double p99Ms) {
    double errorRate() {
      return attempts == 0 ? 0 : (double) errors / attempts;
    }
  }
}
