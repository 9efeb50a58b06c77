package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * Service credentials from an OAuth2 token endpoint (client-credentials grant). The token is
 * fetched on first use, cached until shortly before it expires and sent as {@code Authorization:
 * Bearer} on every call to the upstream.
 *
 * @param tokenUrl the token endpoint (http or https)
 * @param clientId the client id, sent with the secret as HTTP Basic credentials
 * @param clientSecret the client secret; write it as ${env:NAME}
 * @param scopes scopes asked for; none by default
 * @param audience an {@code audience} form parameter some providers need; null sends none
 * @param refreshBefore how long before expiry a token is replaced, 30s by default
 * @param timeout time allowed for one token request, 2s by default
 * @param at where it was declared
 */
public record OAuth2Spec(
    String tokenUrl,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String audience,
    Duration refreshBefore,
    Duration timeout,
    Src at) {
  @Override
  public String toString() {
    return "OAuth2Spec[tokenUrl="
        + tokenUrl
        + ", clientId="
        + clientId
        + ", clientSecret=<redacted>]";
  }
}
