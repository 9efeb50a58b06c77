package dev.medley.config;

import java.time.Duration;

/**
 * Outlier ejection for upstreams with several instances: an instance whose breaker opens leaves the
 * rotation for {@code time}, doubling on each repeat up to {@code maxTime}, and never more than
 * {@code maxPercent} of the instances are out at once.
 *
 * @param time first ejection period, 30s by default
 * @param maxTime longest ejection period, 5m by default
 * @param maxPercent most instances ejected at once, as a share (0.5, written {@code 50%}, by
 *     default)
 */
public record EjectionSpec(Duration time, Duration maxTime, double maxPercent) {
  /** The defaults. */
  public static final EjectionSpec DEFAULT =
      new EjectionSpec(Duration.ofSeconds(30), Duration.ofMinutes(5), 0.5);
}
