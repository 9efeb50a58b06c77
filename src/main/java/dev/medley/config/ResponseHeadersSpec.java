package dev.medley.config;

import java.util.List;

/**
 * What of the upstreams' answer headers reaches the client. Written on a route (for every step) or
 * on a step (which replaces its route's {@code allow} for that step's answers).
 *
 * @param allow header names or prefixes ending in {@code *} copied from the steps' successful
 *     upstream answers to the client's answer, each line kept as its own line (two upstreams'
 *     {@code Set-Cookie} stay two lines); hop-by-hop, framing and gateway-owned headers never pass,
 *     and {@code Set-Cookie} passes only when named exactly
 * @param composedCacheControl route only: true when the client's {@code Cache-Control} is composed
 *     from the route's {@code cacheControl} and the steps' upstream answers (the strictest wins)
 * @param at where it was declared
 */
public record ResponseHeadersSpec(List<String> allow, boolean composedCacheControl, Src at) {}
