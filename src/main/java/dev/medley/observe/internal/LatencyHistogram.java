package dev.medley.observe.internal;

import dev.medley.observe.ThreadStripes;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One latency series of the request path (a route's status class, a step's outcome, an upstream's
 * attempt outcome): the {@link Timers#BUCKETS} histogram, its sum and its recent maximum, exposed
 * exactly as a Micrometer timer of that shape is (same buckets, {@code _count}, {@code _sum},
 * {@code _max}; see {@link RequestSeries}).
 *
 * <p>Why not a Micrometer timer: each of its updates is several atomic adds on counters every event
 * loop shares (the bucket array, the count, the sum) plus clock reads to rotate its histogram and
 * its maximum. Here every recording thread has its own stripe (a plain {@code long[]} allocated by
 * that thread, so stripes never share a cache line), a record is two uncontended atomic adds and a
 * maximum kept without a clock read (the caller passes the time it already has), and the stripes
 * are summed only when {@code /metrics} is scraped.
 */
final class LatencyHistogram {
  /** Bucket upper bounds in nanoseconds; an answer above the last falls in {@code +Inf}. */
  static final long[] BOUNDS = bounds();

  /** The same bounds in seconds, as Micrometer computes them ({@code le} labels). */
  static final double[] LE = le();

  private static final int INF = BOUNDS.length; // index of the +Inf bucket
  private static final int SUM = INF + 1;
  private static final int EPOCH = SUM + 1; // three epochs, then three maxima
  private static final int MAX = EPOCH + 3;
  private static final int LENGTH = MAX + 3;

  /**
   * The maximum covers the last 40 to 60 seconds, as Micrometer's Prometheus timers do (a window of
   * one minute in three rotating parts): each part holds the maximum of one 20-second epoch.
   */
  static final long EPOCH_NANOS = 20_000_000_000L;

  static final int STRIPES = ThreadStripes.COUNT;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final Labels labels;
  private final AtomicReferenceArray<long[]> stripes = new AtomicReferenceArray<>(STRIPES);

  LatencyHistogram(Labels labels) {
    this.labels = labels;
  }

  private static long[] bounds() {
    long[] b = new long[Timers.BUCKETS.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Timers.BUCKETS[i].toNanos();
    }
    return b;
  }

  private static double[] le() {
    double[] le = new double[BOUNDS.length + 1];
    for (int i = 0; i < BOUNDS.length; i++) {
      le[i] = BOUNDS[i] / 1_000_000_000.0; // Micrometer's TimeUtils.nanosToUnit(_, SECONDS)
    }
    le[BOUNDS.length] = Double.POSITIVE_INFINITY;
    return le;
  }

  /** The calling thread's stripe: look it up once per page and pass it to every record. */
  static int stripe() {
    return ThreadStripes.index();
  }

  /**
   * Records one duration of {@code nanos} ending at {@code now} (the injected clock's {@code
   * nanoTime}), from the thread that owns {@code stripe}. Counts and sums are exact under any
   * sharing of stripes; the maximum is exact when a stripe has one writer (the event loops, which
   * outnumber nobody: threads beyond {@link #STRIPES} share stripes and may rarely lose a maximum).
   */
  void record(int stripe, long nanos, long now) {
    long[] s = stripes.getPlain(stripe);
    if (s == null) {
      s = allocate(stripe);
    }
    if (nanos < 0) {
      nanos = 0;
    }
    int b = 0;
    while (b < INF && nanos > BOUNDS[b]) {
      b++;
    }
    LONGS.getAndAdd(s, b, 1L);
    LONGS.getAndAdd(s, SUM, nanos);
    long epoch = now / EPOCH_NANOS;
    int part = (int) Math.floorMod(epoch, 3L);
    if ((long) LONGS.getOpaque(s, EPOCH + part) != epoch) {
      LONGS.setOpaque(s, MAX + part, nanos);
      LONGS.setRelease(s, EPOCH + part, epoch);
    } else if (nanos > (long) LONGS.getOpaque(s, MAX + part)) {
      LONGS.setOpaque(s, MAX + part, nanos);
    }
  }

  private long[] allocate(int stripe) {
    long[] fresh = new long[LENGTH];
    for (int p = 0; p < 3; p++) {
      fresh[EPOCH + p] = Long.MIN_VALUE; // no epoch yet
    }
    return stripes.compareAndExchange(stripe, null, fresh) == null ? fresh : stripes.get(stripe);
  }

  /** True once anything was recorded: Micrometer exposes a series from its first record on. */
  boolean used() {
    for (int i = 0; i < STRIPES; i++) {
      if (stripes.get(i) != null) {
        return true;
      }
    }
    return false;
  }

  /** What a scrape at {@code now} reads: the stripes summed. */
  Reading read(long now) {
    long[] counts = new long[INF + 1];
    long sum = 0;
    long max = 0;
    long epoch = now / EPOCH_NANOS;
    for (int i = 0; i < STRIPES; i++) {
      long[] s = stripes.get(i);
      if (s == null) {
        continue;
      }
      for (int b = 0; b <= INF; b++) {
        counts[b] += (long) LONGS.getVolatile(s, b);
      }
      sum += (long) LONGS.getVolatile(s, SUM);
      for (int p = 0; p < 3; p++) {
        long e = (long) LONGS.getAcquire(s, EPOCH + p);
        if (e <= epoch && e > epoch - 3) {
          max = Math.max(max, (long) LONGS.getOpaque(s, MAX + p));
        }
      }
    }
    return new Reading(counts, sum, max);
  }

  /** One series at one scrape: per-bucket counts (not cumulative), sum and maximum, nanoseconds. */
  record Reading(long[] counts, long sumNanos, long maxNanos) {
    long count() {
      long n = 0;
      for (long c : counts) {
        n += c;
      }
      return n;
    }
  }

  HistogramDataPointSnapshot histogram(Reading r) {
    return new HistogramDataPointSnapshot(
        ClassicHistogramBuckets.of(LE, r.counts()),
        r.sumNanos() / 1_000_000_000.0,
        labels,
        Exemplars.EMPTY,
        0L);
  }

  GaugeDataPointSnapshot max(Reading r) {
    return new GaugeDataPointSnapshot(r.maxNanos() / 1_000_000_000.0, labels, null);
  }

  Labels labels() {
    return labels;
  }
}
