package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one {@code upstreams.NAME} section: address, pool and resilience settings (retry, breaker,
 * ejection, bulkhead, deadline header), each checked with a located error.
 */
final class UpstreamReader {
  private static final Pattern URL = Pattern.compile("^https?://[^/\\s?#]+(/[^\\s?#]*)?$");
  private static final Pattern PERCENT = Pattern.compile("^(\\d{1,3}(\\.\\d+)?)%$");
  private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$");

  /** Methods that may be retried without an Idempotency-Key: those HTTP defines as idempotent. */
  private static final List<String> IDEMPOTENT = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  private static final Set<String> RETRY_KINDS = Set.of("connect", "reset", "timeout");

  /**
   * Statuses worth a retry: the request timed out, was too early, was throttled, or the server
   * erred.
   */
  private static final Set<Integer> RETRY_STATUSES = Set.of(408, 425, 429);

  private static final String OFF = "off";

  private UpstreamReader() {}

  static UpstreamSpec read(String name, YNode n) {
    YNode.Fields f =
        n.fields(
            "url",
            "urls",
            "timeout",
            "maxResponseSize",
            "maxConnections",
            "headers",
            "balance",
            "keepAliveTimeout",
            "http2",
            "deadlineHeader",
            "retry",
            "breaker",
            "ejection",
            "maxConcurrent",
            "maxQueue",
            "health",
            "coalesce",
            "tls",
            "oauth2",
            "hedge",
            "followRedirects");
    Duration keepAlive = f.duration("keepAliveTimeout", Duration.ofSeconds(60));
    if (f.has("keepAliveTimeout") && (keepAlive.toMillis() % 1000 != 0 || keepAlive.isZero())) {
      f.node("keepAliveTimeout")
          .error("'" + keepAlive.toMillis() + "ms' (expected whole seconds, at least 1s)");
    }
    List<String> urls = urls(n, f);
    Map<String, String> headers = Map.copyOf(f.stringMap("headers"));
    return new UpstreamSpec(
        name,
        urls,
        f.has("balance")
                && f.oneOf("balance", "roundRobin", "roundRobin", "leastRequest")
                    .equals("leastRequest")
            ? UpstreamSpec.Balance.LEAST_REQUEST
            : UpstreamSpec.Balance.ROUND_ROBIN,
        f.positiveDuration("timeout", Duration.ofSeconds(1)),
        f.bytes("maxResponseSize", 10L << 20),
        f.integer("maxConnections", 64, 1, 10_000),
        keepAlive,
        UpstreamSpec.Http2.valueOf(
            f.oneOf("http2", "auto", "auto", "off", "h2c").toUpperCase(Locale.ROOT)),
        headers,
        deadlineHeader(f),
        f.has("retry") ? retry(f.node("retry")) : RetrySpec.DEFAULT,
        breaker(f),
        f.has("ejection") ? ejection(f.node("ejection")) : EjectionSpec.DEFAULT,
        f.integer("maxConcurrent", 256, 1, 100_000),
        f.integer("maxQueue", 64, 0, 100_000),
        OperationsReader.health(f),
        f.bool("coalesce", true),
        TransportReader.upstreamTls(f, urls),
        TransportReader.oauth2(f, headers),
        CallsReader.hedge(f),
        ErrorsReader.redirects(f),
        n.at());
  }

  private static List<String> urls(YNode n, YNode.Fields f) {
    List<String> urls = new ArrayList<>();
    if (f.has("url") == f.has("urls")) {
      n.error(
          f.has("url")
              ? "both 'url' and 'urls' are set (expected one of them)"
              : "missing required key 'url' (or 'urls' for several instances)");
    }
    if (f.has("url")) {
      String url = f.string("url", null);
      if (url != null) {
        checkUrl(f.node("url"), url);
        urls.add(url);
      }
    } else if (f.has("urls")) {
      List<YNode> items = f.node("urls").items();
      if (items.isEmpty() && f.node("urls").isList()) {
        f.node("urls").error("is empty (expected at least one URL)");
      }
      for (YNode item : items) {
        String url = item.scalar();
        if (url == null) {
          continue;
        }
        checkUrl(item, url);
        if (urls.contains(url)) {
          item.error("'" + url + "' is listed twice (expected each instance once)");
        }
        urls.add(url);
      }
    }
    return urls.isEmpty() ? List.of("http://invalid.invalid") : List.copyOf(urls);
  }

  private static void checkUrl(YNode n, String url) {
    if (!URL.matcher(url).matches()) {
      n.error("'" + url + "' (expected an http:// or https:// URL without query or fragment)");
    }
  }

  private static String deadlineHeader(YNode.Fields f) {
    String h = f.string("deadlineHeader", "X-Request-Timeout-Ms");
    if (OFF.equals(h)) {
      return null;
    }
    if (!HEADER_NAME.matcher(h).matches()) {
      f.node("deadlineHeader")
          .error("'" + h + "' (expected a header name, e.g. X-Request-Timeout-Ms, or off)");
    }
    return h;
  }

  private static RetrySpec retry(YNode n) {
    RetrySpec d = RetrySpec.DEFAULT;
    YNode.Fields f = n.fields("attempts", "backoff", "maxBackoff", "methods", "on", "budget");
    Duration backoff = f.duration("backoff", d.backoff());
    Duration maxBackoff =
        f.duration("maxBackoff", d.maxBackoff().compareTo(backoff) < 0 ? backoff : d.maxBackoff());
    if (maxBackoff.compareTo(backoff) < 0) {
      f.node("maxBackoff")
          .error(
              "'"
                  + maxBackoff.toMillis()
                  + "ms' is shorter than backoff "
                  + backoff.toMillis()
                  + "ms (expected maxBackoff >= backoff)");
    }
    List<String> methods = d.methods();
    if (f.has("methods")) {
      methods = new ArrayList<>();
      for (YNode item : f.node("methods").items()) {
        String m = item.scalar();
        if (m != null && !IDEMPOTENT.contains(m)) {
          item.error(
              "'"
                  + m
                  + "' (expected idempotent methods: "
                  + String.join(", ", IDEMPOTENT)
                  + "; other calls retry only with an Idempotency-Key header)");
        } else if (m != null) {
          methods.add(m);
        }
      }
      methods = List.copyOf(methods);
    }
    List<String> on = d.on();
    if (f.has("on")) {
      Set<String> read = new LinkedHashSet<>();
      for (YNode item : f.node("on").items()) {
        String s = item.scalar();
        if (s != null && retryCondition(s)) {
          read.add(s);
        } else if (s != null) {
          item.error(
              "'"
                  + s
                  + "' (expected connect, reset, timeout, 408, 425, 429 or a status from 500 to 599)");
        }
      }
      on = List.copyOf(read);
    }
    RetrySpec.BudgetSpec budget = d.budget();
    if (f.has("budget")) {
      YNode.Fields b = f.node("budget").fields("ratio", "minPerSecond", "window");
      budget =
          new RetrySpec.BudgetSpec(
              percent(b, "ratio", budget.ratio()),
              b.integer("minPerSecond", budget.minPerSecond(), 0, 100_000),
              atLeast(b, "window", budget.window(), Duration.ofSeconds(1)));
    }
    return new RetrySpec(
        f.integer("attempts", d.attempts(), 1, 10), backoff, maxBackoff, methods, on, budget);
  }

  private static boolean retryCondition(String s) {
    if (RETRY_KINDS.contains(s)) {
      return true;
    }
    try {
      int status = Integer.parseInt(s);
      return RETRY_STATUSES.contains(status) || (status >= 500 && status <= 599);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static BreakerSpec breaker(YNode.Fields upstream) {
    if (!upstream.has("breaker")) {
      return BreakerSpec.DEFAULT;
    }
    YNode n = upstream.node("breaker");
    if (n.isScalar()) {
      String s = n.scalar();
      if (!OFF.equals(s)) {
        n.error("'" + s + "' (expected off or a mapping of breaker settings)");
      }
      return null;
    }
    BreakerSpec d = BreakerSpec.DEFAULT;
    YNode.Fields f =
        n.fields(
            "consecutiveFailures",
            "failureRate",
            "slowCallRate",
            "slowCallDuration",
            "window",
            "minimumCalls",
            "openFor",
            "halfOpenCalls");
    Duration window = atLeast(f, "window", d.window(), Duration.ofSeconds(1));
    if (window.toMillis() % 1000 != 0) {
      f.node("window").error("'" + window.toMillis() + "ms' (expected whole seconds, e.g. 10s)");
      window = d.window();
    }
    return new BreakerSpec(
        f.integer("consecutiveFailures", d.consecutiveFailures(), 0, 10_000),
        nonZeroPercent(f, "failureRate", d.failureRate()),
        nonZeroPercent(f, "slowCallRate", d.slowCallRate()),
        atLeast(f, "slowCallDuration", d.slowCallDuration(), Duration.ofMillis(1)),
        window,
        f.integer("minimumCalls", d.minimumCalls(), 1, 100_000),
        atLeast(f, "openFor", d.openFor(), Duration.ofMillis(1)),
        f.integer("halfOpenCalls", d.halfOpenCalls(), 1, 1000));
  }

  private static EjectionSpec ejection(YNode n) {
    EjectionSpec d = EjectionSpec.DEFAULT;
    YNode.Fields f = n.fields("time", "maxTime", "maxPercent");
    Duration time = atLeast(f, "time", d.time(), Duration.ofMillis(1));
    Duration maxTime = f.duration("maxTime", d.maxTime().compareTo(time) < 0 ? time : d.maxTime());
    if (maxTime.compareTo(time) < 0) {
      f.node("maxTime")
          .error(
              "'"
                  + maxTime.toMillis()
                  + "ms' is shorter than time "
                  + time.toMillis()
                  + "ms (expected maxTime >= time)");
    }
    return new EjectionSpec(time, maxTime, percent(f, "maxPercent", d.maxPercent()));
  }

  private static Duration atLeast(YNode.Fields f, String key, Duration fallback, Duration min) {
    Duration d = f.duration(key, fallback);
    if (d.compareTo(min) < 0) {
      f.node(key).error("'" + d.toMillis() + "ms' (expected at least " + min.toMillis() + "ms)");
      return fallback;
    }
    return d;
  }

  private static double nonZeroPercent(YNode.Fields f, String key, double fallback) {
    double p = percent(f, key, fallback);
    if (p == 0) {
      f.node(key).error("'0%' (expected a share above 0%, up to 100%)");
      return fallback;
    }
    return p;
  }

  /**
   * A share written as a percentage ({@code 20%}, {@code 12.5%}), from 0% to 100%, as 0.0 to 1.0.
   */
  static double percent(YNode.Fields f, String key, double fallback) {
    YNode n = f.node(key);
    if (n == null) {
      return fallback;
    }
    String s = n.scalar();
    if (s == null) {
      return fallback;
    }
    java.util.regex.Matcher m = PERCENT.matcher(s.trim());
    if (!m.matches() || Double.parseDouble(m.group(1)) > 100) {
      n.error("'" + s + "' (expected a percentage from 0% to 100%, e.g. 20%)");
      return fallback;
    }
    return Double.parseDouble(m.group(1)) / 100.0;
  }
}
