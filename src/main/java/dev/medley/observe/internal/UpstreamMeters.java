package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.L_KIND;
import static dev.medley.observe.TelemetryNames.L_OUTCOME;
import static dev.medley.observe.TelemetryNames.L_UPSTREAM;

import dev.medley.observe.TelemetryNames;
import dev.medley.upstream.UpstreamException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The attempt meters of one upstream, by outcome: status classes 1xx to 5xx, then one word per
 * {@link UpstreamException.Kind}, then {@code error}. Made lazily, reused for every attempt.
 */
final class UpstreamMeters {
  static final String[] OUTCOMES = outcomes();

  private final String upstream;
  private final MeterRegistry registry;
  private final AtomicReferenceArray<Counter> attempts =
      new AtomicReferenceArray<>(OUTCOMES.length);
  private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(OUTCOMES.length);
  private volatile Counter timeouts;
  private volatile Counter deadlines;

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
    Counter c = attempts.get(outcome);
    if (c == null) {
      c =
          Counter.builder(TelemetryNames.UPSTREAM_ATTEMPTS)
              .description("Upstream attempts, retries included")
              .tags(L_UPSTREAM, upstream, L_OUTCOME, OUTCOMES[outcome])
              .register(registry);
      attempts.set(outcome, c);
    }
    c.increment();
    Timer t = durations.get(outcome);
    if (t == null) {
      t =
          Timers.latency(
              TelemetryNames.UPSTREAM_DURATION,
              "One upstream attempt",
              Tags.of(L_UPSTREAM, upstream, L_OUTCOME, OUTCOMES[outcome]),
              registry);
      durations.set(outcome, t);
    }
    t.record(nanos, TimeUnit.NANOSECONDS);
    String word = OUTCOMES[outcome];
    if (word.equals(TelemetryNames.UPSTREAM_TIMEOUT)) {
      timeouts().increment();
    } else if (word.equals(TelemetryNames.UPSTREAM_DEADLINE)) {
      deadlines().increment();
    }
  }

  private Counter timeouts() {
    Counter c = timeouts;
    if (c == null) {
      c = timeoutCounter(TelemetryNames.UPSTREAM_TIMEOUT);
      timeouts = c;
    }
    return c;
  }

  private Counter deadlines() {
    Counter c = deadlines;
    if (c == null) {
      c = timeoutCounter(TelemetryNames.UPSTREAM_DEADLINE);
      deadlines = c;
    }
    return c;
  }

  private Counter timeoutCounter(String kind) {
    return Counter.builder(TelemetryNames.UPSTREAM_TIMEOUTS)
        .description("Upstream attempts cut short by time")
        .tags(L_UPSTREAM, upstream, L_KIND, kind)
        .register(registry);
  }
}
