package dev.medley.cache;

import dev.medley.engine.Contexts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Single flight: the first caller for a key starts the work; callers arriving while it runs share
 * its outcome, success or failure, each on its own Vert.x context. Nothing is remembered once the
 * work completes, so a failure is shared but never kept. The work completes on the first caller's
 * context (it is that caller's call), so only the others are handed over.
 *
 * @param <K> key type
 * @param <V> outcome type
 */
public final class Flight<K, V> {
  private final ConcurrentHashMap<K, Future<V>> running = new ConcurrentHashMap<>();

  /** A caller's share of a flight: the outcome, and whether this caller started the work. */
  public record Ticket<V>(Future<V> outcome, boolean leader) {}

  public boolean isRunning(K key) {
    return running.containsKey(key);
  }

  /**
   * Starts {@code work} for {@code key} unless it is already running, and returns this caller's
   * share.
   */
  public Ticket<V> join(K key, Supplier<Future<V>> work) {
    Promise<V> mine = Promise.promise();
    Future<V> existing = running.putIfAbsent(key, mine.future());
    if (existing != null) {
      return new Ticket<>(Contexts.on(Vertx.currentContext(), existing), false);
    }
    Future<V> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          running.remove(key, mine.future());
          mine.handle(ar);
        });
    return new Ticket<>(mine.future(), true);
  }
}
