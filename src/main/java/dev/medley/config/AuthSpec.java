package dev.medley.config;

/**
 * How callers prove who they are. Today one provider: JWT bearer tokens.
 *
 * @param jwt the JWT provider; null when the config has no {@code auth.jwt}, and then every
 *     experience is public ({@code auth: none})
 */
public record AuthSpec(JwtSpec jwt) {
  public static final AuthSpec NONE = new AuthSpec(null);
}
