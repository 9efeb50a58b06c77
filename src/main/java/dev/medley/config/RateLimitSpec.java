package dev.medley.config;

/**
 * One rate-limit tier: a token bucket per key value.
 *
 * @param name the policy name shown in {@code RateLimit-Policy}; defaults to the key
 * @param key what a bucket is per: {@code claim.NAME}, {@code header.NAME}, {@code ip} or {@code
 *     global}
 * @param rate the refill rate as written, e.g. {@code 600/min}
 * @param perSecond the refill rate in tokens per second
 * @param burst bucket size: requests allowed at once after a quiet period; defaults to one second
 *     of {@code rate} (at least 1)
 * @param at where it was declared
 */
public record RateLimitSpec(
    String name, String key, String rate, double perSecond, int burst, Src at) {}
