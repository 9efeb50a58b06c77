package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * How one route's whole response, or one step's result, is cached ({@code cache:} on a route or a
 * step).
 *
 * @param ttl how long an entry is fresh; required
 * @param tags tag templates such as {@code product:{id}}; an admin call naming a tag drops every
 *     entry that carries it. Route tags may read params, query, headers, claims and step results;
 *     step tags also {@code result}, the upstream's body
 * @param staleWhileRevalidate after {@code ttl}, how long a stale entry is still served while one
 *     background refresh runs (RFC 5861); zero by default (off)
 * @param staleIfError after {@code ttl}, how long a stale entry is served, marked degraded, when a
 *     refresh fails (RFC 5861); zero by default (off)
 * @param shared false by default: for a request with verified claims the key includes the subject,
 *     so users never share entries. True shares entries across users, varying only on {@code
 *     varyClaims}
 * @param varyClaims with {@code shared}, the claims whose values are part of the key (e.g. tenant)
 * @param upstreamCacheControl steps only: {@code ignore} (default) or {@code honour} the upstream's
 *     {@code Cache-Control} ({@code no-store}, {@code no-cache}, {@code private}, {@code max-age},
 *     {@code s-maxage}); a header can only shorten {@code ttl} or forbid storing
 * @param at where it was written
 */
public record CacheRuleSpec(
    Duration ttl,
    List<Text> tags,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    boolean shared,
    List<String> varyClaims,
    String upstreamCacheControl,
    Src at) {}
