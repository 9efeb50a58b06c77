package dev.medley.edge.limit;

/**
 * The outcome of asking a bucket for a token.
 *
 * @param allowed true when a token was taken
 * @param remaining tokens left now (after this request when allowed)
 * @param retryAfterNanos when refused: time until a token is available; 0 when allowed
 * @param resetNanos time until the bucket is full again
 */
public record Decision(boolean allowed, long remaining, long retryAfterNanos, long resetNanos) {}
