package dev.medley.edge.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Authenticates a matched request on a route with {@code auth: basic}: exactly one {@code
 * Authorization: Basic} credential whose password matches the user's bcrypt hash. bcrypt runs on a
 * worker thread. On success the user name goes on the request as the claim {@code sub} (templates
 * read {@code claims.sub}); otherwise the answer is a 401 problem with {@code WWW-Authenticate:
 * Basic realm="..."}, the same for an unknown user and a wrong password, and nothing further runs.
 */
public final class BasicAuthFilter implements EdgeFilter {
  private final Vertx vertx;
  private final BasicVerifier verifier;

  /** Only for routes with {@code auth: basic}: other routes run no such filter. */
  public BasicAuthFilter(Vertx vertx, BasicVerifier verifier) {
    this.vertx = vertx;
    this.verifier = java.util.Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    List<String> values = req.headers().getAll("authorization");
    if (values.size() > 1) {
      return reject(req, 400, "invalid-request", "send one Authorization header");
    }
    String[] credentials = credentials(values.isEmpty() ? null : values.get(0));
    if (credentials == null) {
      return reject(req, 401, "missing-credentials", "a user name and password are required");
    }
    String user = credentials[0];
    String password = credentials[1];
    if (verifier.remembered(user, password)) {
      return accept(req, next, user);
    }
    return vertx
        .executeBlocking(() -> verifier.check(user, password), false)
        .compose(
            ok ->
                ok
                    ? accept(req, next, user)
                    : reject(
                        req,
                        401,
                        "invalid-credentials",
                        "the user name or password is not accepted"));
  }

  private static Future<Reply> accept(EdgeRequest req, EdgeHandler next, String user) {
    req.claims(JsonNodeFactory.instance.objectNode().put("sub", user));
    return next.handle(req);
  }

  /** User and password of a {@code Basic} credential (scheme case-insensitive), or null. */
  static String[] credentials(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private Future<Reply> reject(EdgeRequest req, int status, String slug, String detail) {
    Reply r =
        Problem.reply(status, slug, status == 400 ? "Bad Request" : "Unauthorized", detail, req);
    if (status == 401) {
      r.headers()
          .set("www-authenticate", "Basic realm=\"" + verifier.realm() + "\", charset=\"UTF-8\"");
    }
    return Future.succeededFuture(r);
  }
}
