package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * Where replicas keep the state they share (top-level {@code state:}): rate-limit budgets, cached
 * responses and steps, and invalidations. Without {@code redis} every replica keeps its own state
 * in memory, the default for one process.
 *
 * @param redis the shared Redis, or null to keep state in this process
 * @param rateLimits how shared rate limits behave while Redis cannot be reached
 * @param cache bounds of the shared cache tier and the cross-replica fill lease
 * @param at where it was declared, or null for the default
 */
public record StateSpec(Redis redis, RateLimits rateLimits, SharedCache cache, Src at) {
  /** State in memory: no section in the config. */
  public static final StateSpec DEFAULT =
      new StateSpec(null, RateLimits.DEFAULT, SharedCache.DEFAULT, null);

  /** True when replicas share state through Redis. */
  public boolean shared() {
    return redis != null;
  }

  /**
   * The connection to Redis.
   *
   * @param topology {@code standalone}, {@code sentinel} or {@code cluster}
   * @param endpoints {@code redis://host:port} or {@code rediss://host:port} (TLS); for sentinel
   *     the sentinels, for cluster any of its nodes
   * @param masterName the sentinel master's name (sentinel only)
   * @param user the ACL user, or null for the default user; write it as {@code ${env:NAME}}
   * @param password the ACL password, or null; write it as {@code ${env:NAME}}, never literally
   * @param caFile PEM CA certificates to trust for {@code rediss://}; null trusts the JVM's
   * @param connectTimeout time allowed to open a connection, 1s by default
   * @param commandTimeout time allowed for one command's answer, 50ms by default; past it the
   *     caller goes on without Redis
   * @param poolSize connections per replica, 8 by default
   * @param keyPrefix put before every key and channel, so deployments can share one Redis; {@code
   *     medley:} by default
   * @param breakerFailures consecutive failed calls that open the breaker, 5 by default
   * @param breakerOpenFor how long an open breaker sends nothing to Redis before one probe, 1s by
   *     default
   */
  public record Redis(
      String topology,
      List<String> endpoints,
      String masterName,
      String user,
      String password,
      String caFile,
      Duration connectTimeout,
      Duration commandTimeout,
      int poolSize,
      String keyPrefix,
      int breakerFailures,
      Duration breakerOpenFor) {
    public static final String STANDALONE = "standalone";
    public static final String SENTINEL = "sentinel";
    public static final String CLUSTER = "cluster";

    @Override
    public String toString() {
      return "Redis[topology="
          + topology
          + ", endpoints="
          + endpoints
          + ", user="
          + user
          + ", password="
          + (password == null ? "none" : "<redacted>")
          + ", keyPrefix="
          + keyPrefix
          + "]";
    }
  }

  /**
   * Shared rate limits while Redis is unreachable.
   *
   * @param onRedisFailure {@code local}: each replica applies its own bucket sized limit ÷ {@code
   *     replicas}; {@code closed}: refuse every limited request with 429 until Redis is back
   * @param replicas how many replicas share the limits, to size the local buckets; 1 by default
   */
  public record RateLimits(String onRedisFailure, int replicas) {
    public static final String LOCAL = "local";
    public static final String CLOSED = "closed";
    public static final RateLimits DEFAULT = new RateLimits(LOCAL, 1);
  }

  /**
   * The Redis tier of the response and step caches.
   *
   * @param maxEntries most entries kept in Redis; the ones closest to expiry go first, 100000 by
   *     default
   * @param maxEntrySize larger bodies stay in the in-process tier only, 1MiB by default
   * @param fillLease how long a replica filling a cold key holds it while the others wait for its
   *     answer instead of calling the upstream too, 500ms by default; never past a request's
   *     deadline
   */
  public record SharedCache(long maxEntries, long maxEntrySize, Duration fillLease) {
    public static final SharedCache DEFAULT =
        new SharedCache(100_000, 1L << 20, Duration.ofMillis(500));
  }
}
