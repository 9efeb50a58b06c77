package dev.medley.cache;

import io.vertx.core.Future;
import java.util.Collection;

/**
 * Where cached entries live: in memory by default ({@code state.MemoryCacheStore}); a shared
 * backend (Redis) can implement the same contract. The gateway picks the store and hands it to
 * {@link Caching}; this package never names an implementation.
 *
 * <p>Invalidation works by generations so it is immediate and race-free: invalidating tags starts a
 * new generation and remembers it for those tags; an entry is usable only if none of its tags was
 * invalidated after the generation its fill <em>began</em> in. A fill that was already running when
 * its tag was invalidated is therefore never stored, even though it completes later.
 */
public interface CacheStore {
  /** The current generation; a fill reads it before calling anything. */
  long generation();

  /** The entry, or null when absent, expired, or invalidated since it was filled. */
  Future<CacheEntry> get(String key);

  /**
   * Stores the entry unless one of its tags was invalidated after {@link CacheEntry#generation()}.
   */
  Future<Void> put(String key, CacheEntry entry);

  /**
   * The entry stored under {@code key} grew (a compressed variant was added to its {@link
   * CacheEntry#forms()}): a store bounded by bytes weighs it again. Nothing happens when the key
   * now holds another entry or none.
   */
  default void reweigh(String key, CacheEntry entry) {}

  /** Makes every entry carrying one of {@code tags} unusable from now on. */
  Future<Void> invalidate(Collection<String> tags);

  /** Entries held (an estimate). */
  long entries();

  /** Bytes held by bodies and keys (an estimate; 0 when bounded by count). */
  long bytes();

  /**
   * Before filling a cold {@code key}: when another replica is already filling it, waits for that
   * fill's entry, at most until {@code waitUntilNanos} (on the injected clock); null when this
   * replica should fill it itself. A store that serves one process answers null at once.
   */
  default Future<CacheEntry> awaitOtherFill(String key, long waitUntilNanos) {
    return Future.succeededFuture();
  }
}
