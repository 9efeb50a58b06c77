package dev.medley.observe.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The one shape of every latency timer: a Prometheus histogram with fixed buckets. p50, p95 and p99
 * come from {@code histogram_quantile} over the buckets, which (unlike client-side quantiles) can
 * be summed across replicas and routes; Prometheus cannot expose both forms for one metric.
 */
final class Timers {
  /** Bucket bounds ({@code le}), shared by every latency histogram: 0.5ms to 30s, 15 buckets. */
  static final Duration[] BUCKETS = {
    ms(0.5),
    ms(1),
    ms(2.5),
    ms(5),
    ms(10),
    ms(25),
    ms(50),
    ms(100),
    ms(250),
    ms(500),
    ms(1_000),
    ms(2_500),
    ms(5_000),
    ms(10_000),
    ms(30_000)
  };

  private Timers() {}

  private static Duration ms(double millis) {
    return Duration.ofNanos((long) (millis * 1_000_000));
  }

  static Timer latency(String name, String description, Tags tags, MeterRegistry registry) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
