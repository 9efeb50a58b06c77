package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.CacheSpec;
import dev.medley.observe.CacheResult;
import dev.medley.state.MemoryCacheStore;
import dev.medley.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The freshness model both caches share, on the in-memory store and a {@link ManualClock}: fresh,
 * stale-while-revalidate, stale-if-error and single fill, without a gateway.
 */
@Tag("fast")
class FreshnessTest {
  private static final String KEY = "k";
  private final ManualClock clock = new ManualClock();
  private final MemoryCacheStore store = new MemoryCacheStore(CacheSpec.DEFAULT, clock);
  private final List<CacheResult> results = new ArrayList<>();
  private final AtomicInteger joined = new AtomicInteger();
  private final Freshness<String> freshness =
      new Freshness<>(store, clock, results::add, joined::incrementAndGet, v -> v.startsWith("5"));
  private final AtomicInteger fills = new AtomicInteger();

  /**
   * A fill that answers {@code value} and stores it: fresh 10s, then 20s to revalidate, 60s on
   * error.
   */
  private Freshness.Fill<String> answering(String value) {
    return (generation, started) -> {
      fills.incrementAndGet();
      if (value.startsWith("5")) {
        return Future.succeededFuture(value); // a failed answer is never stored
      }
      CacheEntry e =
          CacheEntry.filled(
              value.getBytes(StandardCharsets.UTF_8),
              null,
              null,
              List.of("t"),
              generation,
              started,
              Duration.ofSeconds(10),
              Duration.ofSeconds(20),
              Duration.ofSeconds(60));
      return store.put(KEY, e).map(value);
    };
  }

  private static Freshness.Fill<String> failing() {
    return (generation, started) -> Future.failedFuture(new IllegalStateException("upstream down"));
  }

  private Freshness.Answer<String> lookup(Freshness.Fill<String> fill) {
    Future<Freshness.Answer<String>> f = freshness.lookup(KEY, fill);
    assertThat(f.succeeded()).as("lookup: %s", f.cause()).isTrue();
    return f.result();
  }

  private static String stored(Freshness.Answer<String> a) {
    return new String(a.entry().body(), StandardCharsets.UTF_8);
  }

  @Test
  void aFreshEntryAnswersWithoutAFill() {
    assertThat(lookup(answering("v1")).served()).isEqualTo(Freshness.Served.FILLED);
    clock.advance(Duration.ofSeconds(9));
    Freshness.Answer<String> a = lookup(answering("v2"));
    assertThat(a.served()).isEqualTo(Freshness.Served.FRESH);
    assertThat(stored(a)).isEqualTo("v1");
    assertThat(fills).hasValue(1);
    assertThat(results).containsExactly(CacheResult.MISS, CacheResult.HIT);
  }

  @Test
  void withinStaleWhileRevalidateTheStaleEntryAnswersAndOneFillRefreshesIt() {
    lookup(answering("v1"));
    clock.advance(Duration.ofSeconds(15));
    Freshness.Answer<String> a = lookup(answering("v2"));
    assertThat(a.served()).isEqualTo(Freshness.Served.REVALIDATING);
    assertThat(stored(a)).isEqualTo("v1");
    assertThat(fills).hasValue(2);
    assertThat(stored(lookup(answering("v3")))).as("the refreshed entry").isEqualTo("v2");
  }

  @Test
  void whileARevalidationRunsNoSecondOneStarts() {
    lookup(answering("v1"));
    clock.advance(Duration.ofSeconds(15));
    Promise<String> slow = Promise.promise();
    freshness.lookup(
        KEY,
        (g, s) -> {
          fills.incrementAndGet();
          return slow.future();
        });
    assertThat(lookup(answering("v2")).served()).isEqualTo(Freshness.Served.REVALIDATING);
    assertThat(fills).hasValue(2);
    slow.complete("ignored");
  }

  @Test
  void withinStaleIfErrorTheStaleEntryStandsInForAFailedFillOrAFailedAnswer() {
    lookup(answering("v1"));
    clock.advance(Duration.ofSeconds(40)); // past ttl + staleWhileRevalidate, within staleIfError
    Freshness.Answer<String> a = lookup(failing());
    assertThat(a.served()).isEqualTo(Freshness.Served.ON_ERROR);
    assertThat(stored(a)).isEqualTo("v1");
    assertThat(lookup(answering("503")).served())
        .as("an answer the cache calls failed")
        .isEqualTo(Freshness.Served.ON_ERROR);
    clock.advance(Duration.ofSeconds(31)); // past ttl + staleIfError
    assertThat(freshness.lookup(KEY, failing()).failed()).isTrue();
    assertThat(lookup(answering("503")).value())
        .as("the failed answer itself, nothing stale left")
        .isEqualTo("503");
  }

  @Test
  void callersArrivingDuringAFillShareItAndOnlyTheFirstIsTheLeader() {
    Promise<String> work = Promise.promise();
    Freshness.Fill<String> fill =
        (g, s) -> {
          fills.incrementAndGet();
          return work.future();
        };
    Future<Freshness.Answer<String>> first = freshness.lookup(KEY, fill);
    Future<Freshness.Answer<String>> second = freshness.lookup(KEY, fill);
    work.complete("v1");
    assertThat(first.result().leader()).isTrue();
    assertThat(second.result().leader()).isFalse();
    assertThat(second.result().value()).isEqualTo("v1");
    assertThat(fills).hasValue(1);
    assertThat(joined).hasValue(1);
    assertThat(results).containsExactly(CacheResult.MISS);
  }

  @Test
  void aFailedFillIsSharedButNotRemembered() {
    Promise<String> work = Promise.promise();
    Future<Freshness.Answer<String>> first = freshness.lookup(KEY, (g, s) -> work.future());
    Future<Freshness.Answer<String>> second = freshness.lookup(KEY, failing());
    work.fail("down");
    assertThat(first.failed()).isTrue();
    assertThat(second.failed()).isTrue();
    assertThat(lookup(answering("v1")).served())
        .as("the next lookup fills again")
        .isEqualTo(Freshness.Served.FILLED);
  }

  @Test
  void aFillThatBeganBeforeAnInvalidationOfItsTagIsNotStored() {
    Promise<String> work = Promise.promise();
    Freshness.Fill<String> late =
        (generation, started) ->
            work.future()
                .compose(
                    v ->
                        store
                            .put(
                                KEY,
                                CacheEntry.filled(
                                    v.getBytes(StandardCharsets.UTF_8),
                                    null,
                                    null,
                                    List.of("t"),
                                    generation,
                                    started,
                                    Duration.ofSeconds(10),
                                    Duration.ZERO,
                                    Duration.ZERO))
                            .map(v));
    freshness.lookup(KEY, late);
    store.invalidate(List.of("t"));
    work.complete("old");
    assertThat(lookup(answering("new")).served()).isEqualTo(Freshness.Served.FILLED);
  }
}
