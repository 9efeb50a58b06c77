package dev.medley.state.redis;

import dev.medley.cache.CacheEntry;
import dev.medley.cache.CacheStore;
import dev.medley.edge.StateSource;
import dev.medley.state.MemoryCacheStore;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The two-tier cache store of replicas: this process's Caffeine tier in front of Redis, which every
 * replica reads and fills. Generations come from Redis, so the single-node promise holds across
 * replicas: a fill that began before its tag was invalidated anywhere is refused by Redis (and then
 * never reaches the in-process tier). An invalidation deletes the tag's entries in Redis and
 * reaches every replica's in-process tier over pub/sub.
 *
 * <p>The in-process tier is only used while the invalidation subscription is live, and is emptied
 * whenever it (re)connects or Redis comes back, since messages may have been missed. While Redis is
 * unreachable the cache is bypassed: lookups miss and fills are not kept.
 */
public final class RedisCacheStore implements CacheStore, InvalidationBus.Listener {
  private static final Script PUT = Script.load("cache_put", "put");
  private static final Script INVALIDATE = Script.load("invalidate", "invalidate");

  /** How long an invalidation marker outlives its invalidation: longer than any fill can run. */
  static final long MARKER_MILLIS = 10 * 60 * 1000L;

  /** How often a replica waiting on another's fill looks for its entry. */
  private static final java.time.Duration POLL = java.time.Duration.ofMillis(5);

  private final RedisState state;
  private final MemoryCacheStore local;
  private final Clock clock;

  /** {@code local} is this replica's in-process tier. */
  public RedisCacheStore(RedisState state, MemoryCacheStore local) {
    this.state = state;
    this.local = local;
    this.clock = state.clock();
    state.bus().listen(this);
    state.onModeChange(shared -> local.clear());
  }

  @Override
  public long generation() {
    return local.generation();
  }

  @Override
  public Future<CacheEntry> get(String key) {
    if (!state.shared()) {
      return Future.succeededFuture();
    }
    if (!state.bus().live()) {
      return remote(key);
    }
    return local.get(key).compose(e -> e != null ? Future.succeededFuture(e) : remote(key));
  }

  private Future<CacheEntry> remote(String key) {
    return state
        .send("cache_get", Request.cmd(Command.GET).arg(entryKey(key)))
        .map(
            r -> {
              CacheEntry e = r == null ? null : EntryCodec.decode(r.toBytes(), clock);
              if (e == null) {
                return null;
              }
              if (state.bus().live()) {
                local.put(key, e.from(StateSource.LOCAL));
              }
              return e.from(StateSource.REDIS);
            })
        .recover(x -> Future.succeededFuture());
  }

  /** Variants live in this replica's tier only (Redis keeps the identity body): weighed there. */
  @Override
  public void reweigh(String key, CacheEntry entry) {
    local.reweigh(key, entry);
  }

  @Override
  public Future<Void> put(String key, CacheEntry entry) {
    if (!state.shared()) {
      return Future.succeededFuture();
    }
    byte[] value = EntryCodec.encode(entry, clock);
    long ttlMillis = (entry.expiresAtNanos() - clock.nanoTime()) / 1_000_000L;
    if (ttlMillis <= 0) {
      return Future.succeededFuture();
    }
    if (value.length > state.cacheSpec().maxEntrySize()) {
      // Too large to share: kept here only, still reached by invalidations over pub/sub.
      return state.bus().live()
          ? local.put(key, entry.from(StateSource.LOCAL))
          : Future.succeededFuture();
    }
    String p = state.cachePrefix();
    List<Object> args = new ArrayList<>(5 + entry.tags().size());
    args.add(p);
    args.add(entry.generation());
    args.add(ttlMillis);
    args.add(value);
    args.add(state.cacheSpec().maxEntries());
    args.addAll(entry.tags());
    return state
        .eval(PUT, List.of(entryKey(key), p + "gen", p + "idx", leaseKey(key)), args)
        .compose(
            r -> {
              local.advanceTo(r.get(1).toLong());
              return r.get(0).toInteger() == 1 && state.bus().live()
                  ? local.put(key, entry.from(StateSource.LOCAL))
                  : Future.<Void>succeededFuture();
            })
        .recover(x -> Future.succeededFuture());
  }

  @Override
  public Future<Void> invalidate(Collection<String> tags) {
    String p = state.cachePrefix();
    List<Object> args = new ArrayList<>(3 + tags.size());
    args.add(p);
    args.add(state.channel());
    args.add(MARKER_MILLIS);
    args.addAll(tags);
    return state
        .eval(INVALIDATE, List.of(p + "gen", p + "idx"), args)
        .<Void>map(
            r -> {
              local.invalidated(tags, r.toLong());
              return null;
            })
        .recover(
            e -> {
              // Not shared: at least nothing stale stays here.
              local.clear();
              return Future.failedFuture(e);
            });
  }

  @Override
  public void invalidated(long generation, List<String> tags) {
    local.invalidated(tags, generation);
  }

  @Override
  public void resubscribed() {
    local.clear();
  }

  /** Entries in this replica's in-process tier. */
  @Override
  public long entries() {
    return local.entries();
  }

  @Override
  public long bytes() {
    return local.bytes();
  }

  /**
   * Takes the key's fill lease ({@code SET NX PX}); when another replica holds it, polls for its
   * entry until the lease would have ended or {@code waitUntilNanos}, whichever is first. Null
   * (fill here) when the lease was free, when the wait ran out, or when Redis does not answer.
   */
  @Override
  public Future<CacheEntry> awaitOtherFill(String key, long waitUntilNanos) {
    if (!state.shared()) {
      return Future.succeededFuture();
    }
    long lease = state.cacheSpec().fillLease().toMillis();
    Request take =
        Request.cmd(Command.SET)
            .arg(leaseKey(key))
            .arg(state.replicaId())
            .arg("NX")
            .arg("PX")
            .arg(lease);
    return state
        .send("lease", take)
        .compose(
            taken -> {
              if (taken != null) {
                return Future.<CacheEntry>succeededFuture();
              }
              long until = Math.min(waitUntilNanos, clock.nanoTime() + lease * 1_000_000L);
              return poll(key, until);
            })
        .recover(x -> Future.succeededFuture());
  }

  private Future<CacheEntry> poll(String key, long untilNanos) {
    return remote(key)
        .compose(
            e -> {
              if (e != null || clock.nanoTime() - untilNanos >= 0) {
                return Future.succeededFuture(e);
              }
              io.vertx.core.Promise<CacheEntry> next = io.vertx.core.Promise.promise();
              clock.schedule(POLL, () -> poll(key, untilNanos).onComplete(next));
              return next.future();
            });
  }

  private String leaseKey(String key) {
    return state.cachePrefix() + "l:" + key;
  }

  private String entryKey(String key) {
    return state.cachePrefix() + "e:" + key;
  }
}
