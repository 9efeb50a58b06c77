package dev.medley.observe.internal;

import dev.medley.engine.StepTrace;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.RoutePlan;
import java.util.List;

/**
 * The labels of one route and its series, resolved once per config generation ({@link PlanMeters})
 * and held for every request of it: the end of a page records the answer and every step in one
 * pass, without looking a meter up by name. The series themselves ({@link RequestSeries.Route})
 * outlive the generation, so a reload keeps counting. A null series means metrics are off: the
 * labels still serve logs, spans and explain.
 */
final class RouteMeters {
  static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  final String experience;
  final String route;
  final String version;
  final String template;
  final String spanName;

  /** The plan route these meters were resolved for (null: unmatched requests). */
  final RoutePlan plan;

  private final RequestSeries.Route series;
  private final String[] stepNames; // by step index, as the request's trace lists them
  private final LatencyHistogram[][] steps;

  RouteMeters(RoutePlan r, RequestSeries all) {
    this.plan = r;
    this.experience = r == null ? TelemetryNames.NONE : r.experience();
    this.route = r == null ? TelemetryNames.UNMATCHED : r.method() + " " + r.template();
    this.template = r == null ? null : r.template();
    this.version = r == null ? TelemetryNames.NONE : version(r.template());
    this.spanName = r == null ? null : TelemetryNames.serverSpanName(r.method(), r.template());
    this.series =
        all == null
            ? null
            : r == null ? all.unmatched() : all.route(r.id(), experience, route, version);
    int n = r == null || series == null ? 0 : r.steps().length;
    this.stepNames = new String[n];
    this.steps = new LatencyHistogram[n][];
    for (int i = 0; i < n; i++) {
      stepNames[i] = r.steps()[i].name();
      steps[i] = series.step(stepNames[i]);
    }
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

  /**
   * Records one answer: its status class and duration, each step that started and ended (by
   * outcome), and whether an optional step fell back. {@code now} is the clock reading the duration
   * was taken from.
   */
  void record(int status, long nanos, long now, List<StepTrace> trace) {
    if (series == null) {
      return;
    }
    int stripe = LatencyHistogram.stripe();
    series.statuses[statusIndex(status)].record(stripe, nanos, now);
    boolean partial = false;
    for (int i = 0, n = trace.size(); i < n; i++) {
      StepTrace s = trace.get(i);
      int o = outcome(s.outcome());
      if (o == 1) {
        partial = true;
      }
      if (o >= 0 && s.startNanos() >= 0 && s.endNanos() >= 0) {
        stepSeries(i, s.step())[o].record(stripe, s.endNanos() - s.startNanos(), now);
      }
    }
    if (partial && series.partial != null) {
      series.partial.increment();
    }
  }

  /** The index in {@link RequestSeries#STEP_OUTCOMES}; -1 for a step still pending or shadow. */
  private static int outcome(String outcome) {
    return switch (outcome) {
      case TelemetryNames.STEP_OK -> 0;
      case TelemetryNames.STEP_DEGRADED -> 1;
      case TelemetryNames.STEP_FAILED -> 2;
      case TelemetryNames.STEP_SKIPPED -> 3;
      default -> -1; // pending: the request ended first; its time is not the step's
    };
  }

  /** The trace lists steps by index; a name that does not match there is found by name. */
  private LatencyHistogram[] stepSeries(int i, String name) {
    if (i < stepNames.length && (stepNames[i] == name || stepNames[i].equals(name))) {
      return steps[i];
    }
    return series.step(name);
  }
}
