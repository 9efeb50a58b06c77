package dev.medley.plan;

import dev.medley.config.ShadowSpec;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a shadow step is sent: which share of requests send it and how many of its calls may be in
 * flight at once. The two counters are the only mutable part of a compiled step, shared by every
 * request of one generation (a reload starts them afresh); only shadow steps have one.
 */
public final class ShadowPlan {
  private final double share;
  private final int maxInFlight;
  private final AtomicLong seen = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  ShadowPlan(ShadowSpec spec) {
    this.share = spec.share();
    this.maxInFlight = spec.maxInFlight();
  }

  /**
   * Whether this request sends the shadow call. Sampling is by count, not by chance, so a 10% share
   * sends exactly one request in ten and tests need no random source.
   */
  public boolean sampled() {
    if (share >= 1.0) {
      return true;
    }
    if (share <= 0.0) {
      return false;
    }
    long n = seen.incrementAndGet();
    return Math.floor(n * share) > Math.floor((n - 1) * share);
  }

  /** Takes an in-flight slot; false (drop the call) when {@code maxInFlight} are in flight. */
  public boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n >= maxInFlight) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back when a shadow call ends, however it ended. */
  public void release() {
    inFlight.decrementAndGet();
  }

  /** Shadow calls of this step in flight now. */
  public int inFlight() {
    return inFlight.get();
  }
}
