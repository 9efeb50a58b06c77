package dev.medley.upstream;

import dev.medley.observe.CacheResult;

/**
 * What happened inside one call's policy chain, noted by the policies and read by the engine once
 * the call is over: how many attempts went out, and what the cache said. One per call; touched only
 * on the event loop of the request that made the call.
 */
public final class CallNotes {
  private int attempts;
  private CacheResult cache;

  /** Counts one attempt; the HTTP client calls it for every exchange it starts. */
  public void attempted() {
    attempts++;
  }

  /** Attempts made so far: 0 before the first, 2 after one retry, 0 when the cache answered. */
  public int attempts() {
    return attempts;
  }

  /** Notes the cache's answer for this call (a cache policy calls it). */
  public void cache(CacheResult result) {
    this.cache = result;
  }

  /** The cache's answer, or null when no cache was consulted. */
  public CacheResult cache() {
    return cache;
  }
}
