package dev.medley.cache;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link CacheStats}; incremented on the request path, read on demand. */
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
}
