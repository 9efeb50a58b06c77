package dev.medley.cache;

import dev.medley.observe.CacheResult;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The one freshness model of the response cache and the step cache (RFC 9111 / RFC 5861 terms):
 *
 * <ul>
 *   <li><b>fresh</b>: the stored entry answers ({@code HIT});
 *   <li><b>stale-while-revalidate</b>: the stale entry answers at once and one background fill
 *       refreshes it ({@code STALE});
 *   <li><b>single fill</b>: otherwise one fill per key runs and every caller of that key waits for
 *       it ({@code MISS} for the caller that started it);
 *   <li><b>stale-if-error</b>: a fill that failed, or whose answer {@code failed} says is a
 *       failure, is replaced by the stale entry while it is within its error window ({@code
 *       STALE}).
 * </ul>
 *
 * <p>Each cache says what a fill does and stores, and turns the {@link Answer} into its own value;
 * the decision is taken here only. Nothing is signalled by an exception: a stale answer is an
 * answer whose {@link Served} says so.
 *
 * @param <V> what a fill produces (a reply, an upstream answer)
 */
final class Freshness<V> {
  /** How a lookup was answered. */
  enum Served {
    /** A fresh entry. */
    FRESH,
    /** A stale entry within stale-while-revalidate; a background fill refreshes it. */
    REVALIDATING,
    /** A fill: this caller's own, or one it waited for ({@link Answer#leader()} tells). */
    FILLED,
    /** A stale entry within stale-if-error, standing in for a failed fill. */
    ON_ERROR
  }

  /**
   * A lookup's answer: the entry the store held (what answered when {@code FRESH}, {@code
   * REVALIDATING} or {@code ON_ERROR}; null when there was none) and, when {@code FILLED}, the
   * fill's value; {@code leader} is false when this caller waited for another caller's fill.
   */
  record Answer<V>(Served served, CacheEntry entry, V value, boolean leader) {}

  /** One fill: calls through and stores what may be stored, from the generation it began in. */
  @FunctionalInterface
  interface Fill<V> {
    Future<V> run(long generation, long startedNanos);
  }

  private final CacheStore store;
  private final Clock clock;
  private final Consumer<CacheResult> count;
  private final Runnable joined;
  private final Predicate<V> failed;
  private final Flight<String, V> fills = new Flight<>();

  /**
   * @param count told the result of every lookup (hit, stale, one miss per fill)
   * @param joined told each time a caller waits for another caller's fill
   * @param failed an answer that counts as a failure for stale-if-error (a 5xx reply)
   */
  Freshness(
      CacheStore store,
      Clock clock,
      Consumer<CacheResult> count,
      Runnable joined,
      Predicate<V> failed) {
    this.store = store;
    this.clock = clock;
    this.count = count;
    this.joined = joined;
    this.failed = failed;
  }

  /** The answer for {@code key}: from the store, or from {@code fill} (one per key at a time). */
  Future<Answer<V>> lookup(String key, Fill<V> fill) {
    return store
        .get(key)
        .compose(
            entry -> {
              long now = clock.nanoTime();
              if (entry != null && entry.fresh(now)) {
                count.accept(CacheResult.HIT);
                return Future.succeededFuture(new Answer<>(Served.FRESH, entry, null, true));
              }
              if (entry != null && entry.servableWhileRevalidating(now)) {
                count.accept(CacheResult.STALE);
                if (!fills.isRunning(key)) {
                  start(key, fill); // its outcome only refreshes the entry
                }
                return Future.succeededFuture(new Answer<>(Served.REVALIDATING, entry, null, true));
              }
              Flight.Ticket<V> ticket = start(key, fill);
              if (!ticket.leader()) {
                joined.run();
              }
              return ticket
                  .outcome()
                  .transform(
                      ar -> {
                        boolean bad = ar.failed() || failed.test(ar.result());
                        if (bad && entry != null && entry.servableOnError(clock.nanoTime())) {
                          count.accept(CacheResult.STALE);
                          return Future.succeededFuture(
                              new Answer<>(Served.ON_ERROR, entry, null, ticket.leader()));
                        }
                        if (ar.failed()) {
                          return Future.failedFuture(ar.cause());
                        }
                        return Future.succeededFuture(
                            new Answer<>(Served.FILLED, entry, ar.result(), ticket.leader()));
                      });
            });
  }

  private Flight.Ticket<V> start(String key, Fill<V> fill) {
    return fills.join(
        key,
        () -> {
          count.accept(CacheResult.MISS);
          return fill.run(store.generation(), clock.nanoTime());
        });
  }
}
