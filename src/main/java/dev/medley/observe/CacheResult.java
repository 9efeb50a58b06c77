package dev.medley.observe;

/** What a cache lookup gave; its {@link #label()} is the {@code result} metric label. */
public enum CacheResult {
  /** A fresh entry answered; no upstream call. */
  HIT("hit"),
  /** No usable entry; the upstream was called. */
  MISS("miss"),
  /** An expired entry answered (stale-while-revalidate or stale-if-error). */
  STALE("stale");

  private final String label;

  CacheResult(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
