package dev.medley.edge.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import java.util.List;

/**
 * Authenticates a matched request on a route with {@code auth: jwt}: exactly one {@code
 * Authorization: Bearer} token that the route's verifier accepts. On success the verified claims go
 * on the request (templates and expressions read them as {@code claims}); otherwise the answer is a
 * 401 (503 when no keys could ever be loaded) problem with an RFC 6750 {@code WWW-Authenticate}
 * header, and nothing further runs.
 */
public final class BearerAuthFilter implements EdgeFilter {
  static final String REALM = "medley";

  private final JwtVerifier verifier;

  /** Only for routes that require a token: public routes run no such filter. */
  public BearerAuthFilter(JwtVerifier verifier) {
    this.verifier = java.util.Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    List<String> values = req.headers().getAll("authorization");
    if (values.size() > 1) {
      return Future.succeededFuture(
          reject(req, new TokenRejected(400, "invalid_request", "send one Authorization header")));
    }
    String token = bearer(values.isEmpty() ? null : values.get(0));
    if (token == null) {
      return Future.succeededFuture(
          reject(req, TokenRejected.missing("a bearer token is required")));
    }
    return verifier
        .verify(token)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                req.claims(ar.result());
                return next.handle(req);
              }
              if (ar.cause() instanceof TokenRejected t) {
                return Future.succeededFuture(reject(req, t));
              }
              return Future.failedFuture(ar.cause());
            });
  }

  /** The token of a {@code Bearer} credential (scheme case-insensitive), or null. */
  static String bearer(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  static Reply reject(EdgeRequest req, TokenRejected t) {
    String slug =
        switch (t.status()) {
          case 503 -> "auth-unavailable";
          case 400 -> "invalid-request";
          default -> t.error() == null ? "missing-token" : "invalid-token";
        };
    String title =
        switch (t.status()) {
          case 503 -> "Service Unavailable";
          case 400 -> "Bad Request";
          default -> "Unauthorized";
        };
    Reply r =
        Problem.reply(
            t.status(),
            slug,
            title,
            t.getMessage(),
            req,
            t.error() == null
                ? null
                : JsonNodeFactory.instance.objectNode().put("error", t.error()));
    if (t.status() == 503) {
      r.headers().set("retry-after", "5");
    } else {
      r.headers().set("www-authenticate", challenge(t.error(), t.getMessage(), null));
    }
    return r;
  }

  /**
   * An RFC 6750 challenge; quotes and backslashes never reach the header from descriptions or
   * scopes.
   */
  static String challenge(String error, String description, String scope) {
    StringBuilder b = new StringBuilder("Bearer realm=\"" + REALM + "\"");
    if (error != null) {
      b.append(", error=\"").append(error).append('"');
      b.append(", error_description=\"").append(safe(description)).append('"');
    }
    if (scope != null) {
      b.append(", scope=\"").append(safe(scope)).append('"');
    }
    return b.toString();
  }

  private static String safe(String s) {
    return s.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'");
  }
}
