package dev.medley.config;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operational keys: the server's shutdown grace and config watching, upstream health
 * checks, and the API evolution keys of a route ({@code deprecated}, {@code canary}). Kept apart
 * from {@link ConfigLoader} so each section reads alone.
 */
final class OperationsReader {
  private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);
  private static final Pattern WEIGHT = Pattern.compile("^(\\d{1,3})(?:\\.(\\d{1,2}))?%$");

  /** Header names are RFC 9110 tokens; claim names are plain identifiers. */
  private static final Pattern STICKY =
      Pattern.compile("^(ip|claim\\.[A-Za-z_][A-Za-z0-9_]*|header:[A-Za-z0-9!#$%&'*+.^_`|~-]+)$");

  private OperationsReader() {}

  /** Records where each of {@code keys} was written, as {@code prefix + key}. */
  static void locate(
      java.util.Map<String, Src> into, String prefix, YNode.Fields f, String... keys) {
    for (String k : keys) {
      if (f.has(k)) {
        into.put(prefix + k, f.node(k).at());
      }
    }
  }

  static Duration shutdownGrace(YNode.Fields f) {
    return f.duration("shutdownGrace", ServerSpec.DEFAULT_SHUTDOWN_GRACE);
  }

  static Duration watchInterval(YNode.Fields f) {
    Duration d = f.duration("watchInterval", ServerSpec.DEFAULT_WATCH_INTERVAL);
    if (!d.isZero() && d.compareTo(SHORTEST_INTERVAL) < 0) {
      f.node("watchInterval")
          .error(
              "'"
                  + f.node("watchInterval").scalar()
                  + "' is too short (expected 0s to turn watching off, or at least 100ms)");
      return ServerSpec.DEFAULT_WATCH_INTERVAL;
    }
    return d;
  }

  /** The {@code health} key of an upstream, or null. */
  static HealthSpec health(YNode.Fields upstream) {
    if (!upstream.has("health")) {
      return null;
    }
    YNode n = upstream.node("health");
    YNode.Fields f = n.fields("path", "interval");
    f.required("path");
    String path = f.string("path", "/");
    if (!path.startsWith("/") || path.contains(" ") || path.contains("#")) {
      f.node("path").error("'" + path + "' (expected a path starting with /, e.g. /health)");
    }
    Duration interval = f.duration("interval", HealthSpec.DEFAULT_INTERVAL);
    if (interval.compareTo(SHORTEST_INTERVAL) < 0) {
      f.node("interval")
          .error("'" + f.node("interval").scalar() + "' is too short (expected at least 100ms)");
      interval = HealthSpec.DEFAULT_INTERVAL;
    }
    return new HealthSpec(path, interval, n.at());
  }

  /** The {@code deprecated} key of a route, or null. */
  static DeprecationSpec deprecated(YNode.Fields route) {
    if (!route.has("deprecated")) {
      return null;
    }
    YNode n = route.node("deprecated");
    YNode.Fields f = n.fields("since", "sunset", "successor");
    if (f.required("since") == null) {
      return null;
    }
    Instant since = instant(f, "since");
    Instant sunset = instant(f, "sunset");
    if (since != null && sunset != null && sunset.isBefore(since)) {
      f.node("sunset")
          .error(
              sunset
                  + " is before since "
                  + since
                  + " (expected a sunset at or after the deprecation, RFC 9745 section 3)");
    }
    Text successor = f.text("successor");
    if (successor != null
        && !successor.value().startsWith("/")
        && !successor.value().matches("^https?://\\S+$")) {
      f.node("successor")
          .error("'" + successor.value() + "' (expected a path starting with / or an http(s) URL)");
    }
    return since == null ? null : new DeprecationSpec(since, sunset, successor, n.at());
  }

  private static Instant instant(YNode.Fields f, String key) {
    YNode n = f.node(key);
    String s = n == null ? null : n.scalar();
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.trim()).toInstant();
    } catch (DateTimeParseException e) {
      n.error("'" + s + "' is not an RFC 3339 instant (expected e.g. 2026-12-31T23:59:59Z)");
      return null;
    }
  }

  /**
   * The {@code canary} key of a route, or null. The target route is resolved by the plan compiler.
   */
  static CanarySpec canary(YNode.Fields route) {
    if (!route.has("canary")) {
      return null;
    }
    YNode n = route.node("canary");
    YNode.Fields f = n.fields("to", "weight", "sticky");
    YNode toNode = f.required("to");
    YNode weightNode = f.required("weight");
    String to = f.string("to", null);
    if (to != null) {
      Matcher m = ConfigLoader.ROUTE_KEY.matcher(to.trim());
      if (!m.matches() || !ConfigLoader.METHODS.contains(m.group(1))) {
        toNode.error(
            "'"
                + to
                + "' (expected a route key of the same experience, e.g. GET /v3/products/{id})");
        to = null;
      } else {
        to = m.group(1) + " " + m.group(2);
      }
    }
    int weight = weightNode == null ? -1 : weight(weightNode);
    String sticky = f.string("sticky", null);
    if (sticky != null && !STICKY.matcher(sticky).matches()) {
      f.node("sticky").error("'" + sticky + "' (expected claim.<name>, header:<name> or ip)");
      sticky = null;
    } else if (sticky != null && sticky.startsWith("header:")) {
      sticky = sticky.toLowerCase(Locale.ROOT);
    }
    return to == null || weight < 0 ? null : new CanarySpec(to, weight, sticky, toNode.at());
  }

  /** {@code 5%}, {@code 0.5%}, {@code 12.25%} as basis points; -1 (and an error) otherwise. */
  private static int weight(YNode n) {
    String s = n.scalar();
    if (s == null) {
      return -1;
    }
    Matcher m = WEIGHT.matcher(s.trim());
    if (m.matches()) {
      String frac = m.group(2) == null ? "00" : (m.group(2) + "0").substring(0, 2);
      int bp = Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(frac);
      if (bp <= 10_000) {
        return bp;
      }
    }
    n.error(
        "'" + s + "' (expected a percentage from 0% to 100% with at most two decimals, e.g. 5%)");
    return -1;
  }
}
