package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.L_KIND;
import static dev.medley.observe.TelemetryNames.L_OUTCOME;
import static dev.medley.observe.TelemetryNames.L_UPSTREAM;

import dev.medley.observe.TelemetryNames;
import dev.medley.upstream.UpstreamException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The attempt meters of one upstream, by outcome: status classes 1xx to 5xx, then one word per
 * {@link UpstreamException.Kind}, then {@code error}. Made on an outcome's first attempt, reused
 * for every attempt after; one timer update per attempt.
 */
final class UpstreamMeters {
  static final String[] OUTCOMES = outcomes();

  private final String upstream;
  private final MeterRegistry registry;
  private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(OUTCOMES.length);

  UpstreamMeters(String upstream, MeterRegistry registry) {
    this.upstream = upstream;
    this.registry = registry;
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

  void record(int outcome, long nanos) {
    if (registry == null) {
      return;
    }
    Timer t = durations.get(outcome);
    if (t == null) {
      t = meters(outcome);
    }
    t.record(nanos, TimeUnit.NANOSECONDS); // the one update per attempt: the counters read it
  }

  /**
   * The timer of {@code outcome}, and the counters that are its count under another name: {@code
   * medley_upstream_attempts_total} always, {@code medley_upstream_timeouts_total} for the two
   * timeout outcomes. They read the timer rather than being incremented beside it, so an attempt
   * costs one meter update, and their values are exactly what separate counters would hold.
   */
  private synchronized Timer meters(int outcome) {
    Timer t = durations.get(outcome);
    if (t != null) {
      return t;
    }
    t =
        Timers.latency(
            TelemetryNames.UPSTREAM_DURATION,
            "One upstream attempt",
            Tags.of(L_UPSTREAM, upstream, L_OUTCOME, OUTCOMES[outcome]),
            registry);
    FunctionCounter.builder(TelemetryNames.UPSTREAM_ATTEMPTS, t, Timer::count)
        .description("Upstream attempts, retries included")
        .tags(L_UPSTREAM, upstream, L_OUTCOME, OUTCOMES[outcome])
        .register(registry);
    String word = OUTCOMES[outcome];
    if (word.equals(TelemetryNames.UPSTREAM_TIMEOUT)
        || word.equals(TelemetryNames.UPSTREAM_DEADLINE)) {
      FunctionCounter.builder(TelemetryNames.UPSTREAM_TIMEOUTS, t, Timer::count)
          .description("Upstream attempts cut short by time")
          .tags(L_UPSTREAM, upstream, L_KIND, word)
          .register(registry);
    }
    durations.set(outcome, t);
    return t;
  }
}
