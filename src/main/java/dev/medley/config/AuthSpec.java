package dev.medley.config;

/**
 * How callers prove who they are: JWT bearer tokens (verified with public keys or, opt-in, an HMAC
 * secret) and HTTP Basic against an htpasswd file.
 *
 * @param jwt the JWT provider; null when the config has no {@code auth.jwt}
 * @param basic the Basic provider; null when the config has no {@code auth.basic}. With neither,
 *     every experience is public ({@code auth: none})
 */
public record AuthSpec(JwtSpec jwt, BasicSpec basic) {
  public static final AuthSpec NONE = new AuthSpec(null, null);

  /**
   * The mode of a route that names none: {@code jwt} if configured, else {@code basic}, else none.
   */
  public String defaultMode() {
    return jwt != null ? "jwt" : basic != null ? "basic" : "none";
  }
}
