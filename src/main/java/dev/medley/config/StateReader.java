package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the top-level {@code state:} section; kept apart so {@link ConfigLoader} only says where it
 * is.
 */
final class StateReader {
  private static final Pattern ENDPOINT = Pattern.compile("^rediss?://[^/\\s?#@]+:\\d{1,5}$");

  private StateReader() {}

  static StateSpec read(YNode n) {
    YNode.Fields f = n.fields("redis", "rateLimits", "cache");
    StateSpec.Redis redis = f.has("redis") ? redis(f.node("redis")) : null;
    StateSpec.RateLimits limits =
        f.has("rateLimits") ? rateLimits(f.node("rateLimits")) : StateSpec.RateLimits.DEFAULT;
    StateSpec.SharedCache cache =
        f.has("cache") ? cache(f.node("cache")) : StateSpec.SharedCache.DEFAULT;
    if (redis == null && (f.has("rateLimits") || f.has("cache"))) {
      n.error(
          "rateLimits and cache are only read with redis (expected a redis: section, or no state: section"
              + " to keep state in this process)");
    }
    return new StateSpec(redis, limits, cache, n.at());
  }

  private static StateSpec.Redis redis(YNode n) {
    YNode.Fields f =
        n.fields(
            "topology",
            "endpoints",
            "masterName",
            "user",
            "password",
            "caFile",
            "connectTimeout",
            "commandTimeout",
            "poolSize",
            "keyPrefix",
            "breaker");
    f.required("endpoints");
    String topology =
        f.oneOf(
            "topology",
            StateSpec.Redis.STANDALONE,
            StateSpec.Redis.STANDALONE,
            StateSpec.Redis.SENTINEL,
            StateSpec.Redis.CLUSTER);
    List<String> endpoints = new ArrayList<>();
    for (String e : f.stringList("endpoints")) {
      if (!ENDPOINT.matcher(e).matches()) {
        f.node("endpoints")
            .error(
                "'"
                    + e
                    + "' (expected redis://host:port, or rediss://host:port for TLS;"
                    + " the user and password go in user: and password:)");
      } else {
        endpoints.add(e);
      }
    }
    if (f.has("endpoints")
        && endpoints.isEmpty()
        && f.node("endpoints").isList()
        && f.node("endpoints").items().isEmpty()) {
      f.node("endpoints")
          .error("no endpoints (expected at least one, e.g. redis://127.0.0.1:6379)");
    }
    if (StateSpec.Redis.STANDALONE.equals(topology) && endpoints.size() > 1) {
      f.node("endpoints")
          .error(
              endpoints.size()
                  + " endpoints with topology: standalone (expected one; list"
                  + " several with topology: sentinel or cluster)");
    }
    String master = f.string("masterName", null);
    if (StateSpec.Redis.SENTINEL.equals(topology) && (master == null || master.isBlank())) {
      n.error(
          "topology: sentinel needs masterName (expected the name the sentinels monitor, e.g. mymaster)");
    }
    if (!StateSpec.Redis.SENTINEL.equals(topology) && master != null) {
      f.node("masterName").error("masterName is only read with topology: sentinel");
    }
    String ca = f.string("caFile", null);
    if (ca != null && endpoints.stream().noneMatch(e -> e.startsWith("rediss://"))) {
      f.node("caFile")
          .error("caFile without a rediss:// endpoint (expected rediss://host:port for TLS)");
    }
    if (ca != null) {
      FileChecks.checkReadable(f.node("caFile"), ca);
    }
    Duration connect = positive(f, "connectTimeout", Duration.ofSeconds(1));
    Duration command = positive(f, "commandTimeout", Duration.ofMillis(50));
    int pool = f.integer("poolSize", 8, 1, 1024);
    String prefix = f.string("keyPrefix", "medley:");
    if (prefix.isEmpty() || prefix.chars().anyMatch(c -> c <= ' ' || c == '{' || c == '}')) {
      f.node("keyPrefix")
          .error(
              "'"
                  + prefix
                  + "' (expected non-empty text without spaces or braces, e.g. medley-web:)");
    }
    int failures = 5;
    Duration openFor = Duration.ofSeconds(1);
    if (f.has("breaker")) {
      YNode.Fields b = f.node("breaker").fields("failures", "openFor");
      failures = b.integer("failures", failures, 1, 1000);
      openFor = positive(b, "openFor", openFor);
    }
    return new StateSpec.Redis(
        topology,
        List.copyOf(endpoints),
        master,
        blankToNull(f.string("user", null)),
        blankToNull(f.string("password", null)),
        ca,
        connect,
        command,
        pool,
        prefix,
        failures,
        openFor);
  }

  private static StateSpec.RateLimits rateLimits(YNode n) {
    YNode.Fields f = n.fields("onRedisFailure", "replicas");
    String on =
        f.oneOf(
            "onRedisFailure",
            StateSpec.RateLimits.LOCAL,
            StateSpec.RateLimits.LOCAL,
            StateSpec.RateLimits.CLOSED);
    return new StateSpec.RateLimits(on, f.integer("replicas", 1, 1, 10_000));
  }

  private static StateSpec.SharedCache cache(YNode n) {
    YNode.Fields f = n.fields("maxEntries", "maxEntrySize", "fillLease");
    StateSpec.SharedCache d = StateSpec.SharedCache.DEFAULT;
    long size = f.bytes("maxEntrySize", d.maxEntrySize());
    if (size < 1) {
      f.node("maxEntrySize").error(size + " (expected a positive size such as 1MiB)");
      size = d.maxEntrySize();
    }
    return new StateSpec.SharedCache(
        f.integer("maxEntries", (int) d.maxEntries(), 1, Integer.MAX_VALUE),
        size,
        positive(f, "fillLease", d.fillLease()));
  }

  private static Duration positive(YNode.Fields f, String key, Duration fallback) {
    Duration d = f.duration(key, fallback);
    if (d.isZero() || d.isNegative()) {
      f.node(key)
          .error(d + " (expected a positive duration such as " + fallback.toMillis() + "ms)");
      return fallback;
    }
    return d;
  }

  /** An unset {@code ${env:NAME:-}} reads as empty: no user or password then. */
  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
