package dev.medley.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.edge.limit.BucketLimit;
import dev.medley.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker in front of Redis and the local share of a limit, on a manual clock. */
class RedisBreakerTest {
  private final ManualClock clock = new ManualClock();
  private final List<Boolean> changes = new ArrayList<>();
  private final RedisBreaker breaker =
      new RedisBreaker(clock, 3, Duration.ofSeconds(1).toNanos(), changes::add);

  @Test
  void opensAfterConsecutiveFailuresAndRefusesUntilItsWaitIsOver() {
    for (int i = 0; i < 2; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.failure();
    }
    breaker.success();
    assertThat(breaker.closed()).as("a success in between resets the count").isTrue();
    for (int i = 0; i < 3; i++) {
      breaker.tryAcquire();
      breaker.failure();
    }
    assertThat(breaker.closed()).isFalse();
    assertThat(changes).containsExactly(false);
    assertThat(breaker.tryAcquire()).as("open: no call reaches Redis").isFalse();
    clock.advance(Duration.ofMillis(999));
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void letsOneProbeThroughAfterTheWaitAndClosesWhenItSucceeds() {
    for (int i = 0; i < 3; i++) {
      breaker.tryAcquire();
      breaker.failure();
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.tryAcquire()).as("only one probe at a time").isFalse();
    breaker.failure();
    assertThat(breaker.tryAcquire()).as("a failed probe reopens it").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.success();
    assertThat(breaker.closed()).isTrue();
    assertThat(changes).containsExactly(false, true);
  }

  @Test
  void aReplicasLocalShareDividesRateAndBurstByTheReplicaCount() {
    BucketLimit thirtyPerMinute = new BucketLimit(2_000_000_000L, 30);
    assertThat(RedisRateLimitStore.share(thirtyPerMinute, 3))
        .isEqualTo(new BucketLimit(6_000_000_000L, 10));
    assertThat(RedisRateLimitStore.share(thirtyPerMinute, 1)).isEqualTo(thirtyPerMinute);
    assertThat(RedisRateLimitStore.share(new BucketLimit(1_000, 2), 5).burst())
        .as("never below one token")
        .isEqualTo(1);
  }
}
