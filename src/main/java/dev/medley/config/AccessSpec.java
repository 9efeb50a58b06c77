package dev.medley.config;

import java.util.List;

/**
 * Who may call an experience or a route, how often, and with what. Written on an experience (its
 * routes inherit it) and on a route (which narrows or overrides it).
 *
 * @param auth {@code jwt} or {@code none}; null inherits (a route from its experience; an
 *     experience gets {@code jwt} when {@code auth.jwt} is configured, else {@code none})
 * @param scopes scopes the token must grant, all of them; a route's add to its experience's
 * @param rateLimits token-bucket tiers; a request must pass every tier of its experience and route
 * @param cors cross-origin rules (experience only); null answers no preflight
 * @param maxBodySize largest request body (route only); null takes {@code
 *     server.limits.maxBodySize}
 * @param forwardAuthorization route only: true sends the caller's {@code Authorization} header
 *     upstream
 * @param at where it was declared
 */
public record AccessSpec(
    String auth,
    List<String> scopes,
    List<RateLimitSpec> rateLimits,
    CorsSpec cors,
    Long maxBodySize,
    boolean forwardAuthorization,
    Src at) {
  public static final AccessSpec INHERIT =
      new AccessSpec(null, List.of(), List.of(), null, null, false, Src.NONE);
}
