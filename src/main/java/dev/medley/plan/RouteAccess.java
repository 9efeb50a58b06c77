package dev.medley.plan;

import java.util.List;
import java.util.Map;

/**
 * A route's access rules, compiled with the plan (its experience's rules folded in): data the edge
 * turns into exactly the filters the route needs. A public route without limits needs none.
 *
 * @param jwt true when a verified bearer token is required
 * @param scopes scopes the token must grant (experience's and route's), empty for none
 * @param scopeClaim the claim holding the granted scopes
 * @param tiers rate-limit tiers, the experience's first; each applies before authentication unless
 *     it is keyed on a claim
 * @param maxBodySize the route's body limit in bytes
 * @param forwardClaims claim name to upstream header name (only with {@code jwt})
 * @param forwardAuthorization true to send the caller's {@code Authorization} header upstream
 * @param basic true when HTTP Basic credentials from the htpasswd file are required
 */
public record RouteAccess(
    boolean jwt,
    List<String> scopes,
    String scopeClaim,
    List<RateTier> tiers,
    long maxBodySize,
    Map<String, String> forwardClaims,
    boolean forwardAuthorization,
    boolean basic) {

  /**
   * One rate-limit tier as declared.
   *
   * @param name the policy name shown in {@code RateLimit-Policy}
   * @param scope where it was declared ({@code experience web #0}, {@code route ... #1}): tiers
   *     with the same scope share buckets, so a route and its canary draw from one experience
   *     budget
   * @param key {@code claim.NAME}, {@code header.NAME}, {@code ip} or {@code global}
   * @param perSecond refill rate in tokens per second
   * @param burst bucket size
   */
  public record RateTier(String name, String scope, String key, double perSecond, int burst) {
    /** True when the key is a claim, so the tier can only apply after the token is verified. */
    public boolean needsClaims() {
      return key.startsWith("claim.");
    }
  }
}
