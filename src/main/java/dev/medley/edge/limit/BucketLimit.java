package dev.medley.edge.limit;

/**
 * The shape of one token bucket: one token every {@code intervalNanos}, at most {@code burst}
 * tokens saved up.
 *
 * @param intervalNanos time to earn one token (the inverse of the rate)
 * @param burst bucket size
 */
public record BucketLimit(long intervalNanos, int burst) {
  public BucketLimit {
    if (intervalNanos <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "intervalNanos: " + intervalNanos + ", burst: " + burst + " (expected both positive)");
    }
  }

  /** A bucket refilled at {@code perSecond} tokens per second. */
  public static BucketLimit of(double perSecond, int burst) {
    return new BucketLimit(Math.max(1, Math.round(1e9 / perSecond)), burst);
  }
}
