package dev.medley.edge.auth;

/**
 * Why a request's credentials were refused, in RFC 6750 terms: the HTTP status, the {@code error}
 * code for {@code WWW-Authenticate} (null when the request had no token at all) and a description
 * safe to show the client.
 */
public final class TokenRejected extends RuntimeException {
  private final int status;
  private final String error;

  TokenRejected(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  /**
   * The token is malformed, unsigned, badly signed, expired or not meant for us: 401 invalid_token.
   */
  static TokenRejected invalid(String description) {
    return new TokenRejected(401, "invalid_token", description);
  }

  /** No bearer token: 401 without an error code, as RFC 6750 asks. */
  static TokenRejected missing(String description) {
    return new TokenRejected(401, null, description);
  }

  /** Tokens cannot be checked right now (no keys ever loaded): 503, not the client's fault. */
  static TokenRejected unavailable(String description) {
    return new TokenRejected(503, null, description);
  }

  public int status() {
    return status;
  }

  /** The RFC 6750 error code, or null. */
  public String error() {
    return error;
  }
}
