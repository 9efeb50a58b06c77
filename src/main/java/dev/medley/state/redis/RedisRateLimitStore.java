package dev.medley.state.redis;

import dev.medley.config.StateSpec;
import dev.medley.edge.StateSource;
import dev.medley.edge.limit.BucketLimit;
import dev.medley.edge.limit.Decision;
import dev.medley.edge.limit.InMemoryRateLimitStore;
import dev.medley.edge.limit.RateLimitStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limit buckets shared by every replica: each check is one atomic round trip running a generic
 * cell rate algorithm in Lua on Redis's clock. A bucket found empty is remembered here until its
 * next token is due (no other replica can refill it sooner), so a flood of refused requests does
 * not reach Redis.
 *
 * <p>While Redis is unreachable the policy decides: {@code local} answers from this replica's own
 * buckets, each sized limit ÷ replicas so the fleet stays near the limit; {@code closed} refuses.
 */
public final class RedisRateLimitStore implements RateLimitStore {
  private static final Script GCRA = Script.load("rate_limit", "gcra");

  /** Empty buckets remembered at most; expired ones are dropped past it. */
  private static final int MAX_REMEMBERED = 100_000;

  private static final long CLOSED_RETRY_NANOS = 1_000_000_000L;

  private final RedisState state;
  private final RateLimitStore local;
  private final ConcurrentHashMap<String, Long> emptyUntil = new ConcurrentHashMap<>();

  /** {@code local} serves while Redis is unreachable, with limits divided by the replica count. */
  public RedisRateLimitStore(RedisState state, RateLimitStore local) {
    this.state = state;
    this.local = local;
  }

  public RedisRateLimitStore(RedisState state) {
    this(state, new InMemoryRateLimitStore(MAX_REMEMBERED));
  }

  @Override
  public Future<Decision> acquire(String bucket, BucketLimit limit, long now) {
    Long until = emptyUntil.get(bucket);
    if (until != null) {
      if (until - now > 0) {
        return Future.succeededFuture(
            new Decision(
                false,
                0,
                until - now,
                until - now + limit.intervalNanos() * (limit.burst() - 1L),
                StateSource.REDIS));
      }
      emptyUntil.remove(bucket, until);
    }
    if (!state.shared()) {
      return fallback(bucket, limit, now);
    }
    long interval = Math.max(1, limit.intervalNanos() / 1_000);
    return state
        .eval(GCRA, List.of(state.limitKey(bucket)), List.of(interval, limit.burst()))
        .map(r -> decision(bucket, r, now))
        .recover(e -> fallback(bucket, limit, now));
  }

  private Decision decision(String bucket, Response r, long now) {
    Decision d =
        new Decision(
            r.get(0).toInteger() == 1,
            r.get(1).toLong(),
            r.get(2).toLong() * 1_000,
            r.get(3).toLong() * 1_000,
            StateSource.REDIS);
    if (!d.allowed() && d.retryAfterNanos() > 0) {
      if (emptyUntil.size() > MAX_REMEMBERED) {
        emptyUntil.values().removeIf(u -> u - now <= 0);
      }
      emptyUntil.put(bucket, now + d.retryAfterNanos());
    }
    return d;
  }

  private Future<Decision> fallback(String bucket, BucketLimit limit, long now) {
    StateSpec.RateLimits policy = state.rateLimits();
    if (StateSpec.RateLimits.CLOSED.equals(policy.onRedisFailure())) {
      return Future.succeededFuture(
          new Decision(false, 0, CLOSED_RETRY_NANOS, CLOSED_RETRY_NANOS, StateSource.CLOSED));
    }
    return local
        .acquire(bucket, share(limit, policy.replicas()), now)
        .map(d -> d.from(StateSource.LOCAL));
  }

  /** This replica's share of {@code limit}: the rate and the burst divided by {@code replicas}. */
  static BucketLimit share(BucketLimit limit, int replicas) {
    if (replicas <= 1) {
      return limit;
    }
    long interval =
        limit.intervalNanos() > Long.MAX_VALUE / replicas
            ? Long.MAX_VALUE
            : limit.intervalNanos() * replicas;
    return new BucketLimit(interval, Math.max(1, limit.burst() / replicas));
  }
}
