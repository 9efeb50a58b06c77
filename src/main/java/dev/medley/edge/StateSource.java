package dev.medley.edge;

/**
 * Where a request's shared state came from, for the access log and explain: filters set these
 * attributes when a state backend says so, and observers read them. Unset with in-memory state.
 * Values: {@code redis} (answered by the shared Redis), {@code local} (this replica's own state:
 * the in-process cache tier, or a rate-limit bucket while Redis is unreachable) and, for rate
 * limits, {@code closed} (refused because Redis is unreachable and the policy fails closed).
 */
public final class StateSource {
  /** Which store decided the request's rate limits. */
  public static final EdgeRequest.Attr<String> RATE_LIMITS =
      new EdgeRequest.Attr<>("stateRateLimits");

  /** Which tier a cached response came from. */
  public static final EdgeRequest.Attr<String> CACHE = new EdgeRequest.Attr<>("stateCache");

  public static final String REDIS = "redis";
  public static final String LOCAL = "local";
  public static final String CLOSED = "closed";

  private StateSource() {}
}
