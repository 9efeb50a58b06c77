package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.F_ATTEMPTS;
import static dev.medley.observe.TelemetryNames.F_BYTES_IN;
import static dev.medley.observe.TelemetryNames.F_BYTES_OUT;
import static dev.medley.observe.TelemetryNames.F_CACHE;
import static dev.medley.observe.TelemetryNames.F_CALLS;
import static dev.medley.observe.TelemetryNames.F_DURATION_MS;
import static dev.medley.observe.TelemetryNames.F_EXPERIENCE;
import static dev.medley.observe.TelemetryNames.F_METHOD;
import static dev.medley.observe.TelemetryNames.F_OUTCOME;
import static dev.medley.observe.TelemetryNames.F_PARTIAL;
import static dev.medley.observe.TelemetryNames.F_REASON;
import static dev.medley.observe.TelemetryNames.F_REQUEST_ID;
import static dev.medley.observe.TelemetryNames.F_ROUTE;
import static dev.medley.observe.TelemetryNames.F_START_MS;
import static dev.medley.observe.TelemetryNames.F_STATUS;
import static dev.medley.observe.TelemetryNames.F_STEP;
import static dev.medley.observe.TelemetryNames.F_STEPS;
import static dev.medley.observe.TelemetryNames.F_TIME;
import static dev.medley.observe.TelemetryNames.F_TRACE_ID;
import static dev.medley.observe.TelemetryNames.F_VERSION;

import dev.medley.engine.StepTrace;
import dev.medley.observe.TelemetryNames;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One access log entry: captured on the event loop as plain values, rendered to a JSON line on the
 * access log's thread (so formatting costs the request path nothing).
 */
record AccessLine(
    long epochMillis,
    String requestId,
    String traceId,
    String method,
    String experience,
    String route,
    String version,
    int status,
    long durationNanos,
    List<StepTrace> steps,
    long bytesIn,
    long bytesOut,
    String stateRateLimits,
    String stateCache) {

  /** A line without shared state (no {@code state:} backend). */
  AccessLine(
      long epochMillis,
      String requestId,
      String traceId,
      String method,
      String experience,
      String route,
      String version,
      int status,
      long durationNanos,
      List<StepTrace> steps,
      long bytesIn,
      long bytesOut) {
    this(
        epochMillis,
        requestId,
        traceId,
        method,
        experience,
        route,
        version,
        status,
        durationNanos,
        steps,
        bytesIn,
        bytesOut,
        null,
        null);
  }

  void render(StringBuilder sb, Clock time) {
    sb.append('{');
    time.append(field(sb, F_TIME).append('"'), epochMillis).append('"');
    string(sb.append(','), F_REQUEST_ID, requestId);
    if (traceId != null) {
      string(sb.append(','), F_TRACE_ID, traceId);
    }
    string(sb.append(','), F_METHOD, method);
    string(sb.append(','), F_EXPERIENCE, experience);
    string(sb.append(','), F_ROUTE, route);
    string(sb.append(','), F_VERSION, version);
    field(sb.append(','), F_STATUS).append(status);
    millis(field(sb.append(','), F_DURATION_MS), durationNanos);
    field(sb.append(','), F_PARTIAL).append('[');
    boolean first = true;
    for (StepTrace s : steps) {
      if (TelemetryNames.STEP_DEGRADED.equals(s.outcome())) {
        quote(first ? sb : sb.append(','), s.step());
        first = false;
      }
    }
    field(sb.append("],"), F_STEPS).append('[');
    for (int i = 0; i < steps.size(); i++) {
      step(i == 0 ? sb : sb.append(','), steps.get(i));
    }
    field(sb.append("],"), F_BYTES_IN).append(bytesIn);
    field(sb.append(','), F_BYTES_OUT).append(bytesOut);
    if (stateRateLimits != null || stateCache != null) {
      field(sb.append(','), TelemetryNames.F_STATE).append('{');
      if (stateRateLimits != null) {
        string(sb, TelemetryNames.F_STATE_RATE_LIMITS, stateRateLimits);
      }
      if (stateCache != null) {
        string(
            stateRateLimits != null ? sb.append(',') : sb,
            TelemetryNames.F_STATE_CACHE,
            stateCache);
      }
      sb.append('}');
    }
    sb.append('}');
  }

  private static void step(StringBuilder sb, StepTrace s) {
    sb.append('{');
    string(sb, F_STEP, s.step());
    string(sb.append(','), F_OUTCOME, s.outcome());
    if (s.reason() != null) {
      string(sb.append(','), F_REASON, s.reason());
    }
    if (s.startNanos() >= 0) {
      millis(field(sb.append(','), F_START_MS), s.startNanos());
      if (s.endNanos() >= 0) {
        millis(field(sb.append(','), F_DURATION_MS), s.endNanos() - s.startNanos());
      }
    }
    field(sb.append(','), F_CALLS).append(s.calls());
    field(sb.append(','), F_ATTEMPTS).append(s.attempts());
    string(sb.append(','), F_CACHE, s.cache());
    sb.append('}');
  }

  private static StringBuilder field(StringBuilder sb, String name) {
    return sb.append('"').append(name).append("\":");
  }

  private static void string(StringBuilder sb, String name, String value) {
    quote(field(sb, name), value);
  }

  /** Milliseconds with three decimals, from nanoseconds, without floating point. */
  static StringBuilder millis(StringBuilder sb, long nanos) {
    long micros = Math.max(0, nanos) / 1_000;
    sb.append(micros / 1_000).append('.');
    long frac = micros % 1_000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    return sb.append(frac);
  }

  static void quote(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    if (plain(s)) {
      sb.append('"').append(s).append('"');
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 15, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * ISO-8601 UTC times with milliseconds, formatting each second once: consecutive lines mostly
   * share their second. Used by the one writer thread only.
   */
  static final class Clock {
    private long second = Long.MIN_VALUE;
    private String prefix;

    StringBuilder append(StringBuilder sb, long epochMillis) {
      long s = Math.floorDiv(epochMillis, 1000);
      if (s != second) {
        second = s;
        String full = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(s));
        prefix = full.substring(0, full.length() - 1); // without the Z
      }
      int ms = (int) Math.floorMod(epochMillis, 1000);
      sb.append(prefix).append('.');
      if (ms < 100) {
        sb.append('0');
      }
      if (ms < 10) {
        sb.append('0');
      }
      return sb.append(ms).append('Z');
    }
  }
}
