package dev.medley.cache;

import java.time.Duration;
import java.util.List;

/**
 * One cached answer: the body bytes (a response body or an upstream body), what a hit needs to
 * answer (content type, ETag), the tags that invalidate it, and its lifetimes on the injected
 * clock's nanosecond scale.
 *
 * @param body the bytes, never modified after storing
 * @param contentType the content type to answer with, or null
 * @param etag the ETag of {@code body}, or null
 * @param tags tags rendered at fill time, plus the entry's own key tag
 * @param generation the store's invalidation generation when the fill began; see {@link CacheStore}
 * @param storedNanos when it was stored
 * @param freshUntilNanos fresh (a hit) before this
 * @param revalidateUntilNanos before this a stale entry is served while one refresh runs
 * @param errorUntilNanos before this a stale entry stands in for a failed refresh
 * @param source the tier it was read from ({@code edge.StateSource}) when a shared store serves it,
 *     or null
 * @param forms the body's forms a hit answers with: the identity buffer and the compressed variants
 *     made on first need ({@link EncodedForms}); shared by the copies {@link #from} makes, never
 *     written to a shared store
 */
public record CacheEntry(
    byte[] body,
    String contentType,
    String etag,
    List<String> tags,
    long generation,
    long storedNanos,
    long freshUntilNanos,
    long revalidateUntilNanos,
    long errorUntilNanos,
    String source,
    EncodedForms forms) {

  /** An entry read from {@code source}, with no variants made yet. */
  public CacheEntry(
      byte[] body,
      String contentType,
      String etag,
      List<String> tags,
      long generation,
      long storedNanos,
      long freshUntilNanos,
      long revalidateUntilNanos,
      long errorUntilNanos,
      String source) {
    this(
        body,
        contentType,
        etag,
        tags,
        generation,
        storedNanos,
        freshUntilNanos,
        revalidateUntilNanos,
        errorUntilNanos,
        source,
        new EncodedForms(body));
  }

  /** An entry of the in-memory store, or one being filled. */
  public CacheEntry(
      byte[] body,
      String contentType,
      String etag,
      List<String> tags,
      long generation,
      long storedNanos,
      long freshUntilNanos,
      long revalidateUntilNanos,
      long errorUntilNanos) {
    this(
        body,
        contentType,
        etag,
        tags,
        generation,
        storedNanos,
        freshUntilNanos,
        revalidateUntilNanos,
        errorUntilNanos,
        null);
  }

  /** The same entry, as read from {@code source}. */
  public CacheEntry from(String source) {
    return new CacheEntry(
        body,
        contentType,
        etag,
        tags,
        generation,
        storedNanos,
        freshUntilNanos,
        revalidateUntilNanos,
        errorUntilNanos,
        source,
        forms);
  }

  /**
   * An entry whose fill began at {@code startedNanos}: fresh for {@code ttl}, then servable while
   * revalidating for {@code staleWhileRevalidate} and on error for {@code staleIfError} after that.
   */
  public static CacheEntry filled(
      byte[] body,
      String contentType,
      String etag,
      List<String> tags,
      long generation,
      long startedNanos,
      Duration ttl,
      Duration staleWhileRevalidate,
      Duration staleIfError) {
    long fresh = startedNanos + ttl.toNanos();
    return new CacheEntry(
        body,
        contentType,
        etag,
        tags,
        generation,
        startedNanos,
        fresh,
        fresh + staleWhileRevalidate.toNanos(),
        fresh + staleIfError.toNanos());
  }

  public boolean fresh(long now) {
    return now < freshUntilNanos;
  }

  /** Stale but within stale-while-revalidate. */
  public boolean servableWhileRevalidating(long now) {
    return now < revalidateUntilNanos;
  }

  /** Stale but within stale-if-error. */
  public boolean servableOnError(long now) {
    return now < errorUntilNanos;
  }

  /** After this nothing can use the entry and the store may drop it. */
  public long expiresAtNanos() {
    return Math.max(freshUntilNanos, Math.max(revalidateUntilNanos, errorUntilNanos));
  }

  /** Whole seconds since it was stored, for the {@code Age} header. */
  public long ageSeconds(long now) {
    return Math.max(0, (now - storedNanos) / 1_000_000_000L);
  }
}
