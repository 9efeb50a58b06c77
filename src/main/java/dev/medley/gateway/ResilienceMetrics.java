package dev.medley.gateway;

import dev.medley.observe.BreakerState;
import dev.medley.observe.Metrics;
import dev.medley.upstream.resilience.ResilienceListener;

/**
 * Turns resilience events into metrics: retries and breaker transitions per upstream. Instance
 * breakers count under their upstream so the label set stays bounded by the config.
 */
final class ResilienceMetrics implements ResilienceListener {
  private final Metrics metrics;

  ResilienceMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void retried(String upstream) {
    metrics.retry(upstream);
  }

  @Override
  public void hedge(String upstream, String outcome) {
    metrics.hedge(upstream, outcome);
  }

  @Override
  public void breakerTransition(
      String upstream,
      String instance,
      dev.medley.upstream.resilience.BreakerState from,
      dev.medley.upstream.resilience.BreakerState to) {
    metrics.breakerTransition(
        upstream, BreakerState.valueOf(from.name()), BreakerState.valueOf(to.name()));
  }
}
