package dev.medley.edge.security;

import dev.medley.edge.auth.JwtVerifier;
import dev.medley.edge.auth.ScopeFilter;
import dev.medley.edge.limit.Tier;
import java.util.List;
import java.util.Map;

/**
 * A route's compiled access rules, its experience's folded in.
 *
 * @param verifier the JWT verifier, or null for a public route
 * @param scopes scopes the token must grant (experience's and route's), with the claim that grants them
 * @param beforeAuth rate-limit tiers whose keys need no claims: applied before the token is checked
 * @param afterAuth rate-limit tiers keyed on claims: applied once the token is verified
 * @param maxBodySize the route's body limit in bytes
 * @param forwardClaims claim name to upstream header name
 * @param forwardAuthorization true to send the caller's Authorization header upstream
 */
record RouteAccess(
    JwtVerifier verifier,
    ScopeFilter.Required scopes,
    List<Tier> beforeAuth,
    List<Tier> afterAuth,
    long maxBodySize,
    Map<String, String> forwardClaims,
    boolean forwardAuthorization) {}
