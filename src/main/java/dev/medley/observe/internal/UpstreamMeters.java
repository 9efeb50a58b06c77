package dev.medley.observe.internal;

import dev.medley.observe.TelemetryNames;
import dev.medley.upstream.UpstreamException;

/**
 * The attempt meters of one upstream, by outcome: status classes 1xx to 5xx, then one word per
 * {@link UpstreamException.Kind}, then {@code error}. Resolved once per upstream policy chain (the
 * series live in {@link RequestSeries}); one histogram update per attempt.
 */
final class UpstreamMeters {
  static final String[] OUTCOMES = outcomes();

  private final LatencyHistogram[] series; // by outcome; null when metrics are off

  UpstreamMeters(LatencyHistogram[] series) {
    this.series = series;
  }

  private static String[] outcomes() {
    UpstreamException.Kind[] kinds = UpstreamException.Kind.values();
    String[] out = new String[RouteMeters.STATUS_CLASSES.length + kinds.length + 1];
    System.arraycopy(RouteMeters.STATUS_CLASSES, 0, out, 0, RouteMeters.STATUS_CLASSES.length);
    for (UpstreamException.Kind k : kinds) {
      out[RouteMeters.STATUS_CLASSES.length + k.ordinal()] =
          k.name().toLowerCase(java.util.Locale.ROOT);
    }
    out[out.length - 1] = TelemetryNames.UPSTREAM_ERROR;
    return out;
  }

  /** The outcome index of an answer with {@code status}. */
  static int ofStatus(int status) {
    return RouteMeters.statusIndex(status);
  }

  /** The outcome index of a failed attempt. */
  static int ofFailure(Throwable t) {
    if (t instanceof UpstreamException u) {
      return RouteMeters.STATUS_CLASSES.length + u.kind().ordinal();
    }
    return OUTCOMES.length - 1;
  }

  /**
   * Records one attempt of {@code nanos} with {@code outcome}, ended at {@code now}: one histogram
   * update, whose count is also {@code medley_upstream_attempts_total} (and {@code
   * medley_upstream_timeouts_total} for the two timeout outcomes).
   */
  void record(int outcome, long nanos, long now) {
    if (series != null) {
      series[outcome].record(LatencyHistogram.stripe(), nanos, now);
    }
  }
}
