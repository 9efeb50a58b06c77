package dev.medley.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.medley.cache.CacheEntry;
import dev.medley.cache.CacheStore;
import dev.medley.config.CacheSpec;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link CacheStore}: a Caffeine cache bounded by bytes (each entry weighed by its
 * body, its compressed variants, key and tags) or by count, whose entries expire when even their
 * stale windows are over. Caffeine reads time from our {@link Clock}, so tests move cache time with
 * the same manual clock as everything else.
 */
public final class MemoryCacheStore implements CacheStore {
  /**
   * Invalidated tags remembered at most; beyond it every older entry is dropped at once instead.
   */
  static final int MAX_REMEMBERED_TAGS = 100_000;

  /** Rough bytes of an entry's object overhead, so tiny bodies still weigh something. */
  private static final int OVERHEAD = 96;

  private final Cache<String, CacheEntry> entries;
  private final AtomicLong generation = new AtomicLong();
  private final ConcurrentHashMap<String, Long> invalidatedAt = new ConcurrentHashMap<>();
  private volatile long floor;

  public MemoryCacheStore(CacheSpec spec, Clock clock) {
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .ticker(clock::nanoTime)
            // Maintenance is a little bookkeeping; running it on the caller keeps it on our clock
            // and off shared pools.
            .executor(Runnable::run);
    Caffeine<String, CacheEntry> typed =
        spec.maxEntries() > 0
            ? builder.maximumSize(spec.maxEntries()).expireAfter(new UntilUnusable())
            : builder
                .maximumWeight(spec.maxBytes())
                .weigher(MemoryCacheStore::weigh)
                .expireAfter(new UntilUnusable());
    this.entries = typed.build();
  }

  private static int weigh(String key, CacheEntry e) {
    long w = OVERHEAD + 2L * key.length() + e.body().length + e.forms().variantBytes();
    for (String t : e.tags()) {
      w += 2L * t.length();
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  @Override
  public long generation() {
    return generation.get();
  }

  @Override
  public Future<CacheEntry> get(String key) {
    CacheEntry e = entries.getIfPresent(key);
    if (e != null && !usable(e)) {
      entries.asMap().remove(key, e);
      e = null;
    }
    return Future.succeededFuture(e);
  }

  @Override
  public Future<Void> put(String key, CacheEntry entry) {
    if (usable(entry)) {
      entries.put(key, entry);
    }
    return Future.succeededFuture();
  }

  @Override
  public void reweigh(String key, CacheEntry entry) {
    // Replacing the entry by itself makes Caffeine weigh it again; another entry under the key (or
    // none) is left alone. The expiry stays: it is computed from the entry's own lifetimes.
    CacheEntry current = entries.getIfPresent(key);
    if (current != null && current.forms() == entry.forms()) {
      entries.asMap().replace(key, current, current);
    }
  }

  @Override
  public Future<Void> invalidate(Collection<String> tags) {
    long g = generation.incrementAndGet();
    for (String t : tags) {
      invalidatedAt.put(t, g);
    }
    if (invalidatedAt.size() > MAX_REMEMBERED_TAGS) {
      // Forgetting tags could revive entries; raising the floor drops every older entry instead.
      floor = g;
      invalidatedAt.clear();
    }
    return Future.succeededFuture();
  }

  /**
   * Records an invalidation numbered elsewhere (by a shared store, whose generations this tier then
   * follows): entries carrying {@code tags} filled before generation {@code at} become unusable.
   */
  public void invalidated(Collection<String> tags, long at) {
    advanceTo(at);
    for (String t : tags) {
      invalidatedAt.merge(t, at, Math::max);
    }
    if (invalidatedAt.size() > MAX_REMEMBERED_TAGS) {
      floor = at;
      invalidatedAt.clear();
    }
  }

  /** Moves the generation up to {@code g} (a shared store's), never down. */
  public void advanceTo(long g) {
    generation.accumulateAndGet(g, Math::max);
  }

  /** Drops every entry, e.g. when invalidations may have been missed. */
  public void clear() {
    entries.invalidateAll();
  }

  private boolean usable(CacheEntry e) {
    if (e.generation() < floor) {
      return false;
    }
    for (String t : e.tags()) {
      Long at = invalidatedAt.get(t);
      if (at != null && at > e.generation()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long entries() {
    return entries.estimatedSize();
  }

  @Override
  public long bytes() {
    return entries.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
  }

  /** An entry lives until its last (stale) window closes. */
  private static final class UntilUnusable implements Expiry<String, CacheEntry> {
    @Override
    public long expireAfterCreate(String key, CacheEntry e, long now) {
      return Math.max(0, e.expiresAtNanos() - now);
    }

    @Override
    public long expireAfterUpdate(String key, CacheEntry e, long now, long currentDuration) {
      return expireAfterCreate(key, e, now);
    }

    @Override
    public long expireAfterRead(String key, CacheEntry e, long now, long currentDuration) {
      return currentDuration;
    }
  }
}
