package dev.medley.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.StateSpec;
import dev.medley.edge.StateSource;
import dev.medley.edge.limit.BucketLimit;
import dev.medley.edge.limit.Decision;
import dev.medley.observe.Metrics;
import dev.medley.testing.Harness;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rate-limit policies while Redis cannot be reached (a port nobody listens on, so every call is
 * refused at once): local buckets sized limit ÷ replicas, or refusal when configured closed; and
 * the cache bypassed. The breaker's clock is manual, so it stays open.
 */
class RedisFallbackTest {
  private final Vertx vertx = Harness.vertx(new VertxOptions());
  private final ManualClock clock = new ManualClock();
  private RedisState state;

  @AfterEach
  void close() throws Exception {
    if (state != null) {
      state.close().await(5, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private RedisRateLimitStore store(String onFailure) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    StateSpec spec =
        new StateSpec(
            new StateSpec.Redis(
                "standalone",
                List.of("redis://127.0.0.1:" + port),
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                2,
                "t:",
                2,
                Duration.ofSeconds(1)),
            new StateSpec.RateLimits(onFailure, 3),
            StateSpec.SharedCache.DEFAULT,
            null);
    state = RedisState.start(vertx, spec, clock, Metrics.NOOP);
    return new RedisRateLimitStore(state);
  }

  private List<Decision> take(RedisRateLimitStore store, int n) throws Exception {
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          store
              .acquire("user\nalice", new BucketLimit(2_000_000_000L, 30), clock.nanoTime())
              .await(10, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void localPolicyAllowsEachReplicaAThirdOfTheLimitAndSaysSo() throws Exception {
    List<Decision> ds = take(store("local"), 12);
    assertThat(state.shared()).as("the breaker opened").isFalse();
    assertThat(ds.stream().filter(Decision::allowed).count()).as("30 / 3 replicas").isEqualTo(10);
    assertThat(ds).extracting(Decision::source).containsOnly(StateSource.LOCAL);
  }

  @Test
  void closedPolicyRefusesEveryLimitedRequestWhileRedisIsDown() throws Exception {
    List<Decision> ds = take(store("closed"), 5);
    assertThat(ds)
        .allSatisfy(
            d -> {
              assertThat(d.allowed()).isFalse();
              assertThat(d.retryAfterNanos()).isEqualTo(1_000_000_000L);
              assertThat(d.source()).isEqualTo(StateSource.CLOSED);
            });
  }

  @Test
  void theCacheIsBypassedWhileRedisIsDown() throws Exception {
    store("local");
    RedisCacheStore cache =
        new RedisCacheStore(
            state,
            new dev.medley.state.MemoryCacheStore(dev.medley.config.CacheSpec.DEFAULT, clock));
    long now = clock.nanoTime();
    dev.medley.cache.CacheEntry e =
        new dev.medley.cache.CacheEntry(
            new byte[] {1},
            null,
            null,
            List.of("t"),
            0,
            now,
            now + 60_000_000_000L,
            now + 60_000_000_000L,
            now + 60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      cache.put("k", e).await(10, TimeUnit.SECONDS);
    }
    assertThat(state.shared()).isFalse();
    cache.put("k", e).await(10, TimeUnit.SECONDS);
    assertThat(cache.get("k").await(10, TimeUnit.SECONDS))
        .as("nothing kept, nothing served")
        .isNull();
    boolean refused =
        cache
            .invalidate(List.of("t"))
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.failed()))
            .await(10, TimeUnit.SECONDS);
    assertThat(refused)
        .as("an invalidation that reached no other replica is an error (the admin API answers 503)")
        .isTrue();
  }
}
