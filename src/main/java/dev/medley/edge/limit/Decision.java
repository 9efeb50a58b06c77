package dev.medley.edge.limit;

/**
 * The outcome of asking a bucket for a token.
 *
 * @param allowed true when a token was taken
 * @param remaining tokens left now (after this request when allowed)
 * @param retryAfterNanos when refused: time until a token is available; 0 when allowed
 * @param resetNanos time until the bucket is full again
 * @param source where the decision was made ({@code edge.StateSource}), or null for the in-memory
 *     store
 */
public record Decision(
    boolean allowed, long remaining, long retryAfterNanos, long resetNanos, String source) {
  /** A decision of the in-memory store. */
  public Decision(boolean allowed, long remaining, long retryAfterNanos, long resetNanos) {
    this(allowed, remaining, retryAfterNanos, resetNanos, null);
  }

  /** The same decision, made by {@code source}. */
  public Decision from(String source) {
    return new Decision(allowed, remaining, retryAfterNanos, resetNanos, source);
  }
}
