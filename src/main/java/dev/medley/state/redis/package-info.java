/**
 * Shared state for replicas through Redis: rate-limit buckets (one Lua round trip per check), a
 * two-tier cache with tag invalidation broadcast over pub/sub, cross-replica fill leases, and the
 * breaker and fallback modes used while Redis is unreachable. Start reading at {@link
 * dev.medley.state.redis.RedisState}.
 */
package dev.medley.state.redis;
