package dev.medley.cache;

import dev.medley.observe.CacheLayer;
import dev.medley.observe.CacheResult;
import dev.medley.observe.Metrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link CacheStats}, incremented on the request path and read on demand;
 * cache results also go to the gateway's {@link Metrics} ({@code medley_cache_requests_total}).
 */
final class CacheCounters {
  final LongAdder responseHits = new LongAdder();
  final LongAdder responseMisses = new LongAdder();
  final LongAdder responseStale = new LongAdder();
  final LongAdder responseJoined = new LongAdder();
  final LongAdder stepHits = new LongAdder();
  final LongAdder stepMisses = new LongAdder();
  final LongAdder stepStale = new LongAdder();
  final LongAdder coalescedCalls = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  private final Metrics metrics;

  CacheCounters(Metrics metrics) {
    this.metrics = metrics;
  }

  void response(CacheResult r) {
    (r == CacheResult.HIT ? responseHits : r == CacheResult.MISS ? responseMisses : responseStale)
        .increment();
    metrics.cache(CacheLayer.RESPONSE, r);
  }

  void step(CacheResult r) {
    (r == CacheResult.HIT ? stepHits : r == CacheResult.MISS ? stepMisses : stepStale).increment();
    metrics.cache(CacheLayer.STEP, r);
  }
}
