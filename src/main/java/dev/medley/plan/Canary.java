package dev.medley.plan;

/**
 * The compiled {@code canary:} of a route: the route that takes a share of its traffic, the share,
 * and what keeps a client on one side.
 *
 * @param target the canary route (same experience, method and path parameter names; has no canary
 *     itself)
 * @param basisPoints the share in hundredths of a percent, 0 to 10000
 * @param sticky what a request is hashed by, or null to choose at random
 * @param valueMap for each of the target's segment positions, the matched route's position holding
 *     the same path parameter, or -1 for a literal segment
 */
public record Canary(RoutePlan target, int basisPoints, Sticky sticky, int[] valueMap) {

  /** What keeps one client on one side of a canary. */
  public record Sticky(Kind kind, String name) {
    /** Where the key comes from. */
    public enum Kind {
      /** A claim of the verified token, e.g. {@code claim.sub}. */
      CLAIM,
      /** An inbound header, e.g. {@code header:x-user-id}; {@code name} is lower-case. */
      HEADER,
      /** The client's IP address as the gateway sees it. */
      IP
    }

    static Sticky parse(String s) {
      if (s == null) {
        return null;
      }
      if (s.equals("ip")) {
        return new Sticky(Kind.IP, null);
      }
      if (s.startsWith("claim.")) {
        return new Sticky(Kind.CLAIM, s.substring("claim.".length()));
      }
      return new Sticky(Kind.HEADER, s.substring("header:".length()));
    }

    @Override
    public String toString() {
      return switch (kind) {
        case IP -> "ip";
        case CLAIM -> "claim." + name;
        case HEADER -> "header:" + name;
      };
    }
  }

  /**
   * The target's path values, by the target's segment positions, taken from the matched route's
   * values.
   */
  public String[] targetValues(String[] values) {
    String[] out = new String[valueMap.length];
    for (int i = 0; i < valueMap.length; i++) {
      out[i] = valueMap[i] < 0 ? target.segments()[i] : values[valueMap[i]];
    }
    return out;
  }

  /** The value of {@code X-Medley-Canary}: the target's method and full path template. */
  public String label() {
    return target.method() + " " + target.template();
  }
}
