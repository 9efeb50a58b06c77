package dev.medley.dashboard;

import dev.medley.observe.ThreadStripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Attempts to one upstream over the last minute: sixty one-second slots, each counting attempts,
 * errors and latencies in geometric buckets (each 25% wider than the one before, from 0.1 ms), so
 * p50 and p99 are read to within a bucket without keeping every sample. Each recording thread has
 * its own copy of the slots ({@link ThreadStripes}: two event loops never write the same cache
 * line), so a record is three uncontended atomic adds and allocates nothing; the copies are summed
 * when the dashboard asks. A slot is cleared when the clock comes round to it again.
 */
final class MinuteWindow {
  static final int SECONDS = 60;

  /** Upper bounds in microseconds: 100 µs * 1.25^i; the last bucket takes everything above. */
  static final long[] BOUNDS_MICROS = bounds();

  private static final int COUNT = BOUNDS_MICROS.length;

  /** Per slot: [second, attempts, errors, bucket 0 .. bucket n]. */
  private static final int WIDTH = 3 + COUNT;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** Per stripe (made by its first writer): the sixty slots. */
  private final AtomicReferenceArray<long[]> stripes =
      new AtomicReferenceArray<>(ThreadStripes.COUNT);

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
    int stripe = ThreadStripes.index();
    long[] slots = stripes.getPlain(stripe);
    if (slots == null) {
      slots = allocate(stripe);
    }
    long second = Math.floorDiv(nowNanos, 1_000_000_000L);
    int base = (int) Math.floorMod(second, SECONDS) * WIDTH;
    if ((long) LONGS.getAcquire(slots, base) != second) {
      synchronized (slots) { // once a second per slot; a stripe may have two writers
        if ((long) LONGS.getAcquire(slots, base) != second) {
          for (int i = 1; i < WIDTH; i++) {
            LONGS.setVolatile(slots, base + i, 0L);
          }
          LONGS.setRelease(slots, base, second);
        }
      }
    }
    LONGS.getAndAdd(slots, base + 1, 1L);
    if (error) {
      LONGS.getAndAdd(slots, base + 2, 1L);
    }
    LONGS.getAndAdd(slots, base + 3 + bucket(durationNanos / 1_000), 1L);
  }

  private long[] allocate(int stripe) {
    long[] fresh = new long[SECONDS * WIDTH];
    for (int s = 0; s < SECONDS; s++) {
      fresh[s * WIDTH] = Long.MIN_VALUE; // no second yet
    }
    return stripes.compareAndExchange(stripe, null, fresh) == null ? fresh : stripes.get(stripe);
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
    for (int stripe = 0; stripe < ThreadStripes.COUNT; stripe++) {
      long[] slots = stripes.get(stripe);
      if (slots == null) {
        continue;
      }
      for (int s = 0; s < SECONDS; s++) {
        int base = s * WIDTH;
        long second = (long) LONGS.getAcquire(slots, base);
        if (second > now - SECONDS && second <= now) {
          attempts += (long) LONGS.getVolatile(slots, base + 1);
          errors += (long) LONGS.getVolatile(slots, base + 2);
          for (int i = 0; i < COUNT; i++) {
            hist[i] += (long) LONGS.getVolatile(slots, base + 3 + i);
          }
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
