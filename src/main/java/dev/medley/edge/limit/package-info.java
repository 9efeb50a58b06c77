/**
 * Rate limiting at the edge: token buckets per key (claim, header, client IP or global) behind a
 * {@link dev.medley.edge.limit.RateLimitStore}, and the filter that applies a route's tiers. Start
 * with {@link dev.medley.edge.limit.RateLimitFilter}.
 */
package dev.medley.edge.limit;
