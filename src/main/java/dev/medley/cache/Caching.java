package dev.medley.cache;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.RouteRunner;
import dev.medley.engine.Engine;
import dev.medley.engine.StepCache;
import dev.medley.observe.Metrics;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamPolicy;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * Everything caching adds to a gateway, built once and kept across plan reloads (keys carry the
 * plan version, so a new plan never serves an old plan's responses): the store, the response cache
 * (a route-runner decorator) and the client caching filter, the step cache the engine uses,
 * coalescing policies and the admin handlers. Both caches decide freshness through {@link
 * Freshness}. The gateway plugs each into its extension point.
 */
public final class Caching {
  private final CacheStore store;
  private final CacheCounters counters;
  private final ResponseCache responses;
  private final ClientCacheFilter client = new ClientCacheFilter();
  private final StepResultCache steps;
  private final Clock clock;

  /** The admin path that invalidates tags and keys ({@code POST}). */
  public static final String INVALIDATE_PATH = CacheAdmin.INVALIDATE;

  /** The admin path that reports the cache counters ({@code GET}). */
  public static final String STATS_PATH = CacheAdmin.STATS;

  /**
   * Caching over {@code store} (the gateway picks the backend, e.g. {@code
   * state.MemoryCacheStore}); cache results are also recorded in {@code metrics}.
   */
  public Caching(CacheStore store, Clock clock, Metrics metrics) {
    this.store = store;
    this.counters = new CacheCounters(metrics);
    this.clock = clock;
    // Loads the tag's classes now, on the caller's thread, rather than on an event loop at the
    // first request.
    Etags.of(new byte[0]);
    this.responses = new ResponseCache(store, clock, counters);
    this.steps = new StepResultCache(store, clock, counters);
  }

  /**
   * The response cache, a decorator of the route runner (so it runs after the route matcher, every
   * filter that sets claims, and the binding of the route's inputs).
   */
  public RouteRunner.Decorator responseCache() {
    return responses;
  }

  /**
   * ETag, If-None-Match and Cache-Control; an edge filter after the route matcher (outside the
   * response cache).
   */
  public EdgeFilter clientCaching() {
    return client;
  }

  /** The step cache for the engine. */
  public StepCache stepCache() {
    return steps;
  }

  /** A coalescing policy for one upstream (each upstream gets its own); the outermost policy. */
  public UpstreamPolicy coalescer() {
    return new Coalescer(counters, clock);
  }

  /** The handler of {@code POST /cache/invalidate}, for the admin listener. */
  public Handler<HttpServerRequest> invalidateEndpoint() {
    return new CacheAdmin(store, counters, () -> null).invalidateHandler();
  }

  /** The handler of {@code GET /cache/stats}, for the admin listener. */
  public Handler<HttpServerRequest> statsEndpoint(Supplier<Engine.BatchStats> batching) {
    return new CacheAdmin(store, counters, () -> stats(batching.get())).statsHandler();
  }

  /**
   * The counters now; {@code batching} comes from the engine, which owns cross-request batching.
   */
  public CacheStats stats(Engine.BatchStats batching) {
    CacheCounters c = counters;
    return new CacheStats(
        c.responseHits.sum(),
        c.responseMisses.sum(),
        c.responseStale.sum(),
        c.responseJoined.sum(),
        c.stepHits.sum(),
        c.stepMisses.sum(),
        c.stepStale.sum(),
        c.coalescedCalls.sum(),
        batching.calls(),
        batching.items(),
        batching.queued(),
        c.invalidations.sum(),
        store.entries(),
        store.bytes());
  }
}
