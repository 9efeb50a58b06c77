package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.L_EXPERIENCE;
import static dev.medley.observe.TelemetryNames.L_OUTCOME;
import static dev.medley.observe.TelemetryNames.L_ROUTE;
import static dev.medley.observe.TelemetryNames.L_STATUS_CLASS;
import static dev.medley.observe.TelemetryNames.L_STEP;
import static dev.medley.observe.TelemetryNames.L_VERSION;

import dev.medley.observe.TelemetryNames;
import dev.medley.plan.RoutePlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The labels of one route and its meters, made on the route's first request and reused after (also
 * across reloads, as long as the route's id stays). A null registry means metrics are off: the
 * labels still serve logs, spans and explain.
 */
final class RouteMeters {
  static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  final String experience;
  final String route;
  final String version;
  final String template;
  final String spanName;
  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicReferenceArray<Timer> durations =
      new AtomicReferenceArray<>(STATUS_CLASSES.length);
  private final Counter partial;
  private final ConcurrentHashMap<String, StepMeters> steps = new ConcurrentHashMap<>();

  RouteMeters(RoutePlan r, MeterRegistry registry) {
    this.experience = r == null ? TelemetryNames.NONE : r.experience();
    this.route = r == null ? TelemetryNames.UNMATCHED : r.method() + " " + r.template();
    this.template = r == null ? null : r.template();
    this.version = r == null ? TelemetryNames.NONE : version(r.template());
    this.spanName = r == null ? null : TelemetryNames.serverSpanName(r.method(), r.template());
    this.registry = registry;
    this.tags = Tags.of(L_EXPERIENCE, experience, L_ROUTE, route, L_VERSION, version);
    // Only a route can answer partially: unmatched requests get no such series.
    this.partial =
        registry == null || r == null
            ? null
            : Counter.builder(TelemetryNames.PARTIAL_RESPONSES)
                .description("Answers in which at least one optional step fell back")
                .tags(tags)
                .register(registry);
  }

  /** The first template segment that is {@code v} and digits ({@code v2}), else {@code none}. */
  static String version(String template) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      int start = i + 1;
      int end = template.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      if (end - start >= 2 && template.charAt(start) == 'v') {
        boolean digits = true;
        for (int k = start + 1; k < end && digits; k++) {
          digits = Character.isDigit(template.charAt(k));
        }
        if (digits) {
          return template.substring(start, end);
        }
      }
      i = end;
    }
    return TelemetryNames.NONE;
  }

  static int statusIndex(int status) {
    int c = status / 100 - 1;
    return c < 0 || c >= STATUS_CLASSES.length ? STATUS_CLASSES.length - 1 : c;
  }

  void request(int status, long nanos, boolean partialAnswer) {
    if (registry == null) {
      return;
    }
    int c = statusIndex(status);
    Timer timer = durations.get(c);
    if (timer == null) {
      timer = meters(c);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (partialAnswer && partial != null) {
      partial.increment();
    }
  }

  /**
   * The duration timer of status class {@code c} and {@code medley_requests_total}, which is that
   * timer's count under its own name: one update per answer, the same values as a separate counter.
   */
  private synchronized Timer meters(int c) {
    Timer timer = durations.get(c);
    if (timer != null) {
      return timer;
    }
    timer =
        Timers.latency(
            TelemetryNames.REQUEST_DURATION,
            "Time from request read to answer ready",
            tags.and(L_STATUS_CLASS, STATUS_CLASSES[c]),
            registry);
    FunctionCounter.builder(TelemetryNames.REQUESTS, timer, Timer::count)
        .description("Answered requests")
        .tags(tags)
        .tag(L_STATUS_CLASS, STATUS_CLASSES[c])
        .register(registry);
    durations.set(c, timer);
    return timer;
  }

  void step(String step, String outcome, long nanos) {
    if (registry == null) {
      return;
    }
    steps.computeIfAbsent(step, StepMeters::new).record(outcome, nanos);
  }

  /** One step's duration timers, by outcome. */
  private final class StepMeters {
    private static final String[] OUTCOMES = {
      TelemetryNames.STEP_OK,
      TelemetryNames.STEP_DEGRADED,
      TelemetryNames.STEP_FAILED,
      TelemetryNames.STEP_SKIPPED
    };
    private final String step;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OUTCOMES.length);

    StepMeters(String step) {
      this.step = step;
    }

    void record(String outcome, long nanos) {
      int i =
          switch (outcome) {
            case TelemetryNames.STEP_OK -> 0;
            case TelemetryNames.STEP_DEGRADED -> 1;
            case TelemetryNames.STEP_FAILED -> 2;
            case TelemetryNames.STEP_SKIPPED -> 3;
            default -> -1; // pending: the request ended first; its time is not the step's
          };
      if (i < 0) {
        return;
      }
      Timer t = timers.get(i);
      if (t == null) {
        t =
            Timers.latency(
                TelemetryNames.STEP_DURATION,
                "One step of one request, retries included",
                Tags.of(
                    L_EXPERIENCE, experience, L_ROUTE, route, L_STEP, step, L_OUTCOME, OUTCOMES[i]),
                registry);
        timers.set(i, t);
      }
      t.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
