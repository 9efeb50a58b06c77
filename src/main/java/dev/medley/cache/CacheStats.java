package dev.medley.cache;

/**
 * A snapshot of the caching counters, for metrics and the admin API. Counters only grow.
 *
 * @param responseHits responses answered from a fresh entry ({@code X-Cache: HIT})
 * @param responseMisses responses that had to be composed ({@code X-Cache: MISS}), one per fill
 * @param responseStale responses answered from a stale entry ({@code X-Cache: STALE}), while
 *     revalidating or because the refresh failed
 * @param responseJoined requests that waited for another request's fill instead of starting their
 *     own
 * @param stepHits step calls answered from a fresh entry
 * @param stepMisses step calls that went upstream through the step cache
 * @param stepStale step calls answered from a stale entry
 * @param coalescedCalls upstream calls not made because an identical one was in flight
 * @param batchCalls batch calls sent through cross-request windows
 * @param batchItems distinct items those calls carried
 * @param batchQueued items waiting now in open batch windows
 * @param invalidations admin invalidation requests served
 * @param entries entries in the store now (an estimate)
 * @param bytes bytes in the store now (an estimate; 0 when bounded by count)
 */
public record CacheStats(
    long responseHits,
    long responseMisses,
    long responseStale,
    long responseJoined,
    long stepHits,
    long stepMisses,
    long stepStale,
    long coalescedCalls,
    long batchCalls,
    long batchItems,
    long batchQueued,
    long invalidations,
    long entries,
    long bytes) {}
