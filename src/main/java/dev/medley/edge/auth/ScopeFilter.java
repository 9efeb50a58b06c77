package dev.medley.edge.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Requires every scope a route lists to be granted by the verified token. The granted scopes are
 * read from the configured claim, as a space-separated string (OAuth2 {@code scope}) or a list
 * ({@code scp}). A missing scope is a 403 problem with {@code error="insufficient_scope"}.
 */
public final class ScopeFilter implements EdgeFilter {
  /** What a matched request must be granted: the scopes and the claim holding the grant. */
  public record Required(List<String> scopes, String claim) {}

  private final Required r;

  /** Only for routes that require scopes: a route requiring none runs no such filter. */
  public ScopeFilter(Required required) {
    this.r = required;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    Set<String> granted = granted(req.claims(), r.claim());
    List<String> missing = r.scopes().stream().filter(s -> !granted.contains(s)).toList();
    if (missing.isEmpty()) {
      return next.handle(req);
    }
    String needed = String.join(" ", r.scopes());
    ObjectNode extra = JsonNodeFactory.instance.objectNode().put("error", "insufficient_scope");
    missing.forEach(extra.putArray("missingScopes")::add);
    Reply reply =
        Problem.reply(
            403,
            "insufficient-scope",
            "Forbidden",
            "the token lacks the scope(s) this route requires: " + String.join(" ", missing),
            req,
            extra);
    reply
        .headers()
        .set(
            "www-authenticate",
            BearerAuthFilter.challenge(
                "insufficient_scope", "the token lacks a required scope", needed));
    return Future.succeededFuture(reply);
  }

  static Set<String> granted(JsonNode claims, String claim) {
    Set<String> out = new HashSet<>();
    JsonNode v = claims == null ? null : claims.get(claim);
    if (v == null) {
      return out;
    }
    if (v.isTextual()) {
      for (String s : v.textValue().split(" ")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    } else if (v.isArray()) {
      v.forEach(
          s -> {
            if (s.isTextual()) {
              out.add(s.textValue());
            }
          });
    }
    return out;
  }
}
